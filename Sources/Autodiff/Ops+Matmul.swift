import Tensors

/// Matrix product `C = op(A)·op(B)` (BLAS `?gemm`).
///
/// Pullback for `C = A·B`: `∂A = G·Bᵀ`, `∂B = Aᵀ·G`; the transposed variants follow by
/// transposing these identities. No transpose is ever materialised.
@inlinable
public func matmul<S>(
  _ a: Variable<S>, _ b: Variable<S>, transposeA: Bool = false, transposeB: Bool = false
) -> Variable<S> {
  product(a, b, transposeA: transposeA, transposeB: transposeB) {
    matmul($0, $1, transposeA: $2, transposeB: $3)
  }
}

/// A node for `C = op(A)·op(B)` computed by `multiply` (a matrix product or a batched one),
/// with the pullback both share: for `C = A·B`, `∂A = G·Bᵀ`, `∂B = Aᵀ·G`; the transposed
/// variants by transposing these identities (the same `multiply` with other flags).
@inlinable @usableFromInline
func product<S>(
  _ a: Variable<S>, _ b: Variable<S>, transposeA: Bool, transposeB: Bool,
  _ multiply: @escaping (Tensor<S>, Tensor<S>, Bool, Bool) -> Tensor<S>
) -> Variable<S> {
  let x = a.value
  let y = b.value
  return Variable(multiply(x, y, transposeA, transposeB), inputs: [a, b]) { g in
    var ga: Tensor<S>? = nil
    var gb: Tensor<S>? = nil
    if a.requiresGradient {
      // C = op(A)·op(B):  ∂op(A) = G·op(B)ᵀ;  ∂A = ∂op(A) or its transpose.
      ga = transposeA ? multiply(y, g, transposeB, true) : multiply(g, y, false, !transposeB)
    }
    if b.requiresGradient {
      // ∂op(B) = op(A)ᵀ·G;  ∂B = ∂op(B) or its transpose.
      gb = transposeB ? multiply(g, x, true, transposeA) : multiply(x, g, !transposeA, false)
    }
    return [ga, gb]
  }
}

/// Affine layer `Y = X·Wᵀ + b` in one node: the bias is written first and the product is
/// accumulated onto it by one `gemm` with `β = 1`.
///
/// Shapes: `X` `(batch, in)`, `W` `(out, in)` (PyTorch's layout), `b` `(out)`, `Y` `(batch, out)`.
/// Pullback: `∂X = G·W`, `∂W = Gᵀ·X`, `∂b = Σ_rows G`.
@inlinable
public func linear<S>(_ x: Variable<S>, weight: Variable<S>, bias: Variable<S>?) -> Variable<S> {
  let input = x.value
  let w = weight.value
  precondition(input.rank == 2 && w.rank == 2, "linear: input \(input.shape), weight \(w.shape)")
  precondition(
    input.columns == w.columns, "linear: input \(input.shape) vs weight \(w.shape)")
  let batch = input.rows
  let outputs = w.rows
  var y: Tensor<S>
  if let bias {
    precondition(bias.shape == [outputs], "linear: bias \(bias.shape) for \(outputs) outputs")
    y = bias.value.withUnsafeBufferPointer { b in
      let row = UnsafeBufferPointer(rebasing: b[0..<outputs])
      return Tensor<S>(shape: [batch, outputs], rowsRepeating: row)
    }
    gemm(input, w, into: &y, transposeB: true, beta: 1)
  } else {
    y = matmul(input, w, transposeB: true)
  }
  let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
  return Variable(y, inputs: inputs) { g in
    var grads: [Tensor<S>?] = [
      x.requiresGradient ? matmul(g, w) : nil,
      weight.requiresGradient ? matmul(g, input, transposeA: true) : nil,
    ]
    if let bias { grads.append(bias.requiresGradient ? g.sum(alongAxis: 0) : nil) }
    return grads
  }
}

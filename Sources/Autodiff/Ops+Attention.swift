import RealModule
import Tensors

/// Batched matrix product `C_b = op(A_b)·op(B_b)` over the leading axis (``Tensors/batchedMatmul(_:_:transposeA:transposeB:)``),
/// with ``matmul(_:_:transposeA:transposeB:)``'s pullback per batch entry.
@inlinable
public func batchedMatmul<S>(
  _ a: Variable<S>, _ b: Variable<S>, transposeA: Bool = false, transposeB: Bool = false
) -> Variable<S> {
  product(a, b, transposeA: transposeA, transposeB: transposeB) {
    batchedMatmul($0, $1, transposeA: $2, transposeB: $3)
  }
}

extension Tensor {
  /// Softmax along the last axis of a tensor of rank ≥ 2, each row's maximum subtracted
  /// first. With `causal`, entry j of a row whose position along the second-to-last axis is i
  /// is masked for j > i (probability exactly 0): a query attends to itself and the keys
  /// before it.
  @inlinable
  public func softmaxLastAxis(causal: Bool = false) -> Tensor {
    precondition(rank >= 2, "softmax over the last axis needs rank ≥ 2, got \(shape)")
    let n = shape[rank - 1]
    let positions = shape[rank - 2]
    precondition(!causal || positions == n, "a causal mask needs square score blocks, got \(shape)")
    var out = self
    out.withUnsafeMutableBufferPointer { x in
      for r in 0..<(count / Swift.max(n, 1)) {
        let allowed = causal ? r % positions + 1 : n
        let row = r * n
        var m = -Scalar.infinity
        for c in 0..<allowed { m = Swift.max(m, x[row + c]) }
        var total: Scalar = 0
        for c in 0..<allowed {
          let e = Scalar.exp(x[row + c] - m)
          x[row + c] = e
          total += e
        }
        for c in 0..<allowed { x[row + c] /= total }
        for c in allowed..<n { x[row + c] = 0 }
      }
    }
    return out
  }
}

/// Softmax along the last axis (rank ≥ 2), optionally with a causal mask (``Tensors/Tensor/softmaxLastAxis(causal:)``).
///
/// Pullback: `∂x_j = p_j (g_j − Σ_k p_k g_k)` per row; masked entries have p = 0 and get no
/// gradient.
@inlinable
public func softmax<S>(_ x: Variable<S>, lastAxisCausal causal: Bool) -> Variable<S> {
  let p = x.value.softmaxLastAxis(causal: causal)
  return Variable(p, inputs: [x]) { g in
    let n = p.shape[p.rank - 1]
    var dx = g
    p.withUnsafeBufferPointer { pp in
      dx.withUnsafeMutableBufferPointer { d in
        for r in 0..<(p.count / Swift.max(n, 1)) {
          let row = r * n
          var dot: S = 0
          for c in 0..<n { dot += pp[row + c] * d[row + c] }
          for c in 0..<n { d[row + c] = pp[row + c] * (d[row + c] - dot) }
        }
      }
    }
    return [dx]
  }
}

/// Rows of an embedding table gathered by index: `Y_r = T[indices[r]]`, `T` of shape
/// `(vocabulary, width)`, `Y` of shape `(indices.count, width)`. Pullback: the rows of G added
/// back into the rows they came from (a scatter-add; a repeated index sums).
@inlinable
public func embedding<S>(_ table: Variable<S>, indices: [Int]) -> Variable<S> {
  let t = table.value
  precondition(t.rank == 2, "an embedding table is (vocabulary, width), got \(t.shape)")
  let (vocabulary, width) = (t.rows, t.columns)
  precondition(
    indices.allSatisfy { (0..<vocabulary).contains($0) },
    "embedding indices must be in 0..<\(vocabulary)")
  let rows = Tensor<S>(shape: [indices.count, width]) { k in
    t.scalars[indices[k / width] * width + k % width]
  }
  return Variable(rows, inputs: [table]) { g in
    var dt = Tensor<S>.zeros([vocabulary, width])
    g.withUnsafeBufferPointer { gg in
      dt.withUnsafeMutableBufferPointer { d in
        for (r, index) in indices.enumerated() {
          for c in 0..<width { d[index * width + c] += gg[r * width + c] }
        }
      }
    }
    return [dt]
  }
}

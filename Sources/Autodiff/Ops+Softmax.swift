import RealModule
import Tensors

/// Softmax, log-softmax and the losses built on them, along the last axis of a matrix
/// `(batch, classes)`. Row maxima are subtracted before exponentiating (no overflow).

extension Tensor {
  /// Row-wise `log Σ_j exp(x_ij)`, computed as `m + log Σ_j exp(x_ij − m)` with `m` the row max.
  @inlinable
  func rowLogSumExp() -> [Scalar] {
    precondition(rank == 2, "expected (batch, classes), got \(shape)")
    let n = columns
    return withUnsafeBufferPointer { x in
      (0..<rows).map { r in
        var m = -Scalar.infinity
        for c in 0..<n { m = Swift.max(m, x[r * n + c]) }
        if !m.isFinite { return m }
        var total: Scalar = 0
        for c in 0..<n { total += Scalar.exp(x[r * n + c] - m) }
        return m + Scalar.log(total)
      }
    }
  }

  /// Row-wise softmax `exp(x_ij) / Σ_k exp(x_ik)`.
  @inlinable
  public func softmaxRows() -> Tensor {
    let lse = rowLogSumExp()
    let n = columns
    return withUnsafeBufferPointer { x in
      Tensor(shape: shape, generating: { Scalar.exp(x[$0] - lse[$0 / n]) })
    }
  }
}

/// Softmax over the last axis; `∂x = y ⊙ (g − Σ_j g_j y_j)` row by row.
@inlinable
public func softmax<S>(_ x: Variable<S>) -> Variable<S> {
  let y = x.value.softmaxRows()
  return Variable(y, inputs: [x]) { g in
    let dot = (g * y).sum(alongAxis: 1, keepingDimension: true)
    return [y * (g - dot)]
  }
}

/// Log-softmax `x − logΣexp(x)` over the last axis; `∂x = g − softmax(x)·Σ_j g_j`.
@inlinable
public func logSoftmax<S>(_ x: Variable<S>) -> Variable<S> {
  let lse = x.value.rowLogSumExp()
  let n = x.value.columns
  let y = x.value.withUnsafeBufferPointer { v in
    Tensor(shape: x.shape, generating: { v[$0] - lse[$0 / n] })
  }
  return Variable(y, inputs: [x]) { g in
    let p = y.map { S.exp($0) }
    return [g - p * g.sum(alongAxis: 1, keepingDimension: true)]
  }
}

/// Mean cross-entropy of logits `(batch, classes)` against integer labels, fused with the
/// softmax: `L = (1/B) Σ_b [logΣexp(z_b) − z_{b,y_b}]`, `∂z = (softmax(z) − onehot(y))/B`.
@inlinable
public func crossEntropy<S>(logits: Variable<S>, labels: [Int]) -> Variable<S> {
  let z = logits.value
  precondition(z.rank == 2 && z.rows == labels.count, "logits \(z.shape) vs \(labels.count) labels")
  let n = z.columns
  precondition(labels.allSatisfy { $0 >= 0 && $0 < n }, "label out of 0..<\(n)")
  let lse = z.rowLogSumExp()
  let batch = S(z.rows)
  var loss: S = 0
  z.withUnsafeBufferPointer { x in
    for (r, label) in labels.enumerated() { loss += lse[r] - x[r * n + label] }
  }
  return Variable(Tensor(loss / batch), inputs: [logits]) { g in
    let scale = g.scalar / batch
    var dz = z.withUnsafeBufferPointer { x in
      Tensor<S>(shape: z.shape, generating: { S.exp(x[$0] - lse[$0 / n]) * scale })
    }
    dz.withUnsafeMutableBufferPointer { d in
      for (r, label) in labels.enumerated() { d[r * n + label] -= scale }
    }
    return [dz]
  }
}

/// Mean squared error `(1/N) Σ_i (p_i − t_i)²` over all elements;
/// `∂p = 2(p − t)/N`, `∂t = −∂p`.
@inlinable
public func meanSquaredError<S>(_ prediction: Variable<S>, _ target: Variable<S>) -> Variable<S> {
  let diff = prediction.value - target.value
  precondition(diff.shape == prediction.shape, "mse: \(prediction.shape) vs \(target.shape)")
  let n = S(diff.count)
  return Variable(Tensor(diff.squaredNorm / n), inputs: [prediction, target]) { g in
    let d = diff * (2 * g.scalar / n)
    return [prediction.requiresGradient ? d : nil, target.requiresGradient ? -d : nil]
  }
}

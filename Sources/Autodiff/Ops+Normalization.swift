import RealModule
import Tensors

/// Normalisation over one axis of a matrix, shared by layer norm (over features, axis 1)
/// and batch norm (over the batch, axis 0):
/// ```
/// x̂ = (x − μ)/√(σ² + ε),   y = γ ⊙ x̂ + β,   σ² = (1/n)Σ(x − μ)²  (biased)
/// ∂x = (1/√(σ²+ε)) · (∂x̂ − mean(∂x̂) − x̂ ⊙ mean(∂x̂ ⊙ x̂)),   ∂x̂ = g ⊙ γ
/// ```
/// with the means over the normalised axis (the derivation of Ioffe & Szegedy 2015, §3).
@inlinable
func normalize<S>(
  _ x: Variable<S>, gamma: Variable<S>, beta: Variable<S>, axis: Int, epsilon: S
) -> (output: Variable<S>, mean: Tensor<S>, variance: Tensor<S>) {
  let input = x.value
  precondition(input.rank == 2, "normalisation expects a matrix, got \(input.shape)")
  let mu = input.mean(alongAxis: axis, keepingDimension: true)
  let centered = input - mu
  let variance = (centered * centered).mean(alongAxis: axis, keepingDimension: true)
  let invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
  let xhat = centered * invStd
  let g0 = gamma.value
  let b0 = beta.value
  let y = xhat * g0 + b0
  let output = Variable(y, inputs: [x, gamma, beta]) { g in
    let dxhat = g * g0
    var dx: Tensor<S>? = nil
    if x.requiresGradient {
      let meanD = dxhat.mean(alongAxis: axis, keepingDimension: true)
      let meanDX = (dxhat * xhat).mean(alongAxis: axis, keepingDimension: true)
      dx = (dxhat - meanD - xhat * meanDX) * invStd
    }
    return [
      dx,
      gamma.requiresGradient ? (g * xhat).summed(toShape: g0.shape) : nil,
      beta.requiresGradient ? g.summed(toShape: b0.shape) : nil,
    ]
  }
  return (output, mu, variance)
}

/// Layer normalisation (Ba, Kiros & Hinton 2016) over the features of each row of
/// `(batch, features)`, with gain `γ` and shift `β` of shape `(features)`: the formulas of
/// ``normalize(_:gamma:beta:axis:epsilon:)`` over axis 1, fused into one pass per row forward
/// (mean, variance, x̂, y) and one backward (the two row means, ∂x, and the column sums for
/// ∂γ and ∂β), with x̂ and 1/√(σ² + ε) kept from the forward pass.
@inlinable
public func layerNorm<S>(
  _ x: Variable<S>, gamma: Variable<S>, beta: Variable<S>, epsilon: S = 1e-5
) -> Variable<S> {
  let input = x.value
  precondition(input.rank == 2, "layer norm expects a matrix, got \(input.shape)")
  let (rows, n) = (input.shape[0], input.shape[1])
  precondition(gamma.shape == [n] && beta.shape == [n], "γ and β must have shape [\(n)]")
  let g0 = gamma.value
  let b0 = beta.value
  var xhat = Tensor<S>.zeros([rows, n])
  var y = Tensor<S>.zeros([rows, n])
  var invStd = [S](repeating: 0, count: rows)
  let count = S(n)
  input.withUnsafeBufferPointer { xs in
    g0.withUnsafeBufferPointer { gs in
      b0.withUnsafeBufferPointer { bs in
        xhat.withUnsafeMutableBufferPointer { hs in
          y.withUnsafeMutableBufferPointer { ys in
            for r in 0..<rows {
              let base = r * n
              var total: S = 0
              for j in 0..<n { total += xs[base + j] }
              let mu = total / count
              var squares: S = 0
              for j in 0..<n {
                let c = xs[base + j] - mu
                squares += c * c
              }
              let inv = 1 / (squares / count + epsilon).squareRoot()
              invStd[r] = inv
              for j in 0..<n {
                let h = (xs[base + j] - mu) * inv
                hs[base + j] = h
                ys[base + j] = h * gs[j] + bs[j]
              }
            }
          }
        }
      }
    }
  }
  let normalised = xhat
  let scales = invStd
  return Variable(y, inputs: [x, gamma, beta]) { g in
    var dx = Tensor<S>.zeros(x.requiresGradient ? [rows, n] : [0])
    var dgamma = [S](repeating: 0, count: n)
    var dbeta = [S](repeating: 0, count: n)
    g.withUnsafeBufferPointer { gr in
      normalised.withUnsafeBufferPointer { hs in
        g0.withUnsafeBufferPointer { gs in
          dx.withUnsafeMutableBufferPointer { dxs in
            for r in 0..<rows {
              let base = r * n
              var meanD: S = 0
              var meanDX: S = 0
              for j in 0..<n {
                let d = gr[base + j] * gs[j]
                meanD += d
                meanDX += d * hs[base + j]
                dgamma[j] += gr[base + j] * hs[base + j]
                dbeta[j] += gr[base + j]
              }
              guard !dxs.isEmpty else { continue }
              meanD /= count
              meanDX /= count
              let inv = scales[r]
              for j in 0..<n {
                let d = gr[base + j] * gs[j]
                dxs[base + j] = (d - meanD - hs[base + j] * meanDX) * inv
              }
            }
          }
        }
      }
    }
    return [
      x.requiresGradient ? dx : nil,
      gamma.requiresGradient ? Tensor(shape: [n], scalars: dgamma) : nil,
      beta.requiresGradient ? Tensor(shape: [n], scalars: dbeta) : nil,
    ]
  }
}

/// Batch normalisation in training mode (Ioffe & Szegedy 2015): each feature of
/// `(batch, features)` is normalised by the batch's own mean and biased variance. The batch
/// statistics are returned so that a layer can update its running averages.
@inlinable
public func batchNormTraining<S>(
  _ x: Variable<S>, gamma: Variable<S>, beta: Variable<S>, epsilon: S = 1e-5
) -> (output: Variable<S>, batchMean: Tensor<S>, batchVariance: Tensor<S>) {
  let r = normalize(x, gamma: gamma, beta: beta, axis: 0, epsilon: epsilon)
  let features = x.shape[1]
  return (r.output, r.mean.reshaped([features]), r.variance.reshaped([features]))
}

/// Batch normalisation in evaluation mode: a fixed affine map per feature using running
/// statistics, `y = γ ⊙ (x − μ_run)/√(σ²_run + ε) + β`.
@inlinable
public func batchNormInference<S>(
  _ x: Variable<S>, gamma: Variable<S>, beta: Variable<S>, runningMean: Tensor<S>,
  runningVariance: Tensor<S>, epsilon: S = 1e-5
) -> Variable<S> {
  let invStd = Variable(runningVariance.map { 1 / ($0 + epsilon).squareRoot() })
  return (x - Variable(runningMean)) * invStd * gamma + beta
}

/// Inverted dropout (Srivastava et al. 2014): in training each element is kept with
/// probability `1 − rate` and scaled by `1/(1 − rate)`, so evaluation is the identity.
/// `∂x = g ⊙ mask`.
@inlinable
public func dropout<S>(
  _ x: Variable<S>, rate: Double, training: Bool, using rng: inout some RandomNumberGenerator
) -> Variable<S> {
  precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
  guard training && rate > 0 else { return x }
  let keep = S(1 / (1 - rate))
  var maskValues = [S]()
  maskValues.reserveCapacity(x.value.count)
  for _ in 0..<x.value.count { maskValues.append(rng.nextUniform() < rate ? 0 : keep) }
  let mask = Tensor(shape: x.shape, scalars: maskValues)
  return Variable(x.value * mask, inputs: [x]) { g in [g * mask] }
}

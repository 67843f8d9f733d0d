import NN
import RealModule
import Tensors

/// The mean-field maximal Lyapunov exponent of a random recurrent network
/// `h_{t+1} = φ(g W h_t + b)`, `W_ij ~ N(0, 1/N)`, `b_i ~ N(0, σ_b²)`, for large N
/// (Sompolinsky, Crisanti & Sommers 1988; Molgedey, Schuchhardt & Schuster 1992):
/// `λ_max = ½ ln(g² E[φ′(√q* z)²])` with `q*` the fixed point of
/// `q = g² E[φ(√q z)²] + σ_b²` — the recurrent form of ``MeanField`` with σ_w² = g², so
/// `λ_max = ½ ln χ₁`. Negative: perturbations die out (ordered); positive: chaos.
public func meanFieldLyapunovExponent(
  activation: Activation, gain: Double, biasVariance: Double = 0
) -> Double {
  0.5
    * Double.log(
      MeanField(activation: activation, weightVariance: gain * gain, biasVariance: biasVariance)
        .chi1())
}

/// The first `k` Lyapunov exponents of one random recurrent network
/// `h_{t+1} = φ(g W h_t + b + u_t)`, `W_ij ~ N(0, 1/N)`, `b_i ~ N(0, σ_b²)`, by
/// ``lyapunovExponents(recurrent:bias:activation:steps:transient:exponents:seed:drive:)``.
///
/// `drive(t)`, if given, is an input added to the pre-activations (a driven network).
public func simulatedLyapunovExponents(
  activation: Activation, gain: Double, units: Int, steps: Int, transient: Int,
  exponents k: Int = 1, biasVariance: Double = 0, seed: UInt64,
  drive: ((Int) -> [Double])? = nil
) -> [Double] {
  precondition(units >= 1 && k >= 1 && k <= units, "need 1 ≤ k ≤ units")
  var rng = SplittableRandom(seed: seed)
  let w = Tensor<Double>.randomNormal(
    [units, units], standardDeviation: gain / Double(units).squareRoot(), using: &rng)
  let bias = (0..<units).map { _ in rng.nextNormal() * biasVariance.squareRoot() }
  return lyapunovExponents(
    recurrent: w, bias: bias, activation: activation, steps: steps, transient: transient,
    exponents: k, seed: rng.next(), drive: drive)
}

/// The first `k` Lyapunov exponents of a given recurrent network
/// `h_{t+1} = φ(W h_t + b + u_t)` (random or trained; `W` is `(N, N)`), by the QR
/// (Benettin/Shimada–Nagashima) method: `k` orthonormal tangent vectors are pushed through the
/// Jacobians `J_t = diag(φ′(a_t)) W` and re-orthonormalised every step by Gram–Schmidt; the
/// exponents are the mean logs of the stretch factors over `steps` steps after `transient`
/// steps (per time step, natural log), in decreasing order. The state starts from N(0, 1)
/// entries drawn from `seed`, the tangent vectors likewise.
///
/// `drive(t)`, if given, is the input added to the pre-activations at step t (for an RNN with
/// input weights, `W_in x_t`): the exponents of a driven network measure how it separates two
/// nearby states receiving the same input.
public func lyapunovExponents(
  recurrent w: Tensor<Double>, bias: [Double], activation: Activation, steps: Int,
  transient: Int, exponents k: Int = 1, seed: UInt64, drive: ((Int) -> [Double])? = nil
) -> [Double] {
  let units = w.rows
  precondition(w.shape == [units, units] && bias.count == units, "W \(w.shape), b \(bias.count)")
  precondition(k >= 1 && k <= units, "need 1 ≤ k ≤ units")
  var rng = SplittableRandom(seed: seed)
  var h = Tensor<Double>(shape: [units, 1], scalars: (0..<units).map { _ in rng.nextNormal() })
  var tangent = Tensor<Double>.randomNormal([units, k], using: &rng)
  _ = orthonormalize(&tangent)
  var sums = [Double](repeating: 0, count: k)
  for t in 0..<(transient + steps) {
    let input = drive?(t)
    var pre = matmul(w, h).scalars
    for i in 0..<units { pre[i] += bias[i] + (input?[i] ?? 0) }
    h = Tensor(shape: [units, 1], scalars: pre.map(activation.value))
    var pushed = matmul(w, tangent)
    pushed.withUnsafeMutableBufferPointer { p in
      for i in 0..<units {
        let d = activation.derivative(pre[i])
        for j in 0..<k { p[i * k + j] *= d }
      }
    }
    let logs = orthonormalize(&pushed)
    tangent = pushed
    if t >= transient { for j in 0..<k { sums[j] += logs[j] } }
  }
  return sums.map { $0 / Double(steps) }.sorted(by: >)
}

/// Modified Gram–Schmidt on the columns of an `(n, k)` matrix; the log of each column's norm
/// before normalisation (the diagonal of R in its QR factorisation) is returned.
func orthonormalize(_ q: inout Tensor<Double>) -> [Double] {
  let n = q.rows
  let k = q.columns
  var logNorms = [Double](repeating: 0, count: k)
  q.withUnsafeMutableBufferPointer { p in
    for j in 0..<k {
      for previous in 0..<j {
        var dot = 0.0
        for i in 0..<n { dot += p[i * k + j] * p[i * k + previous] }
        for i in 0..<n { p[i * k + j] -= dot * p[i * k + previous] }
      }
      var norm = 0.0
      for i in 0..<n { norm += p[i * k + j] * p[i * k + j] }
      norm = norm.squareRoot()
      logNorms[j] = Double.log(norm)
      for i in 0..<n { p[i * k + j] /= norm }
    }
  }
  return logNorms
}

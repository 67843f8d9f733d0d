import Tensors

/// Langevin dynamics as noisy gradient descent with weight decay: samples the Bayesian
/// posterior `p(θ | D) ∝ exp(−L(θ)/T) · Π_i N(θ_i; 0, σ_i²)` of a network with training loss
/// L (e.g. ½Σ(f − y)²), temperature T and a Gaussian prior, by the unadjusted Langevin
/// algorithm on the potential `U = L/T + Σ θ_i²/(2σ_i²)` with step `ηT`:
///
///     θ ← θ − η (∇L + T θ/σ²) + √(2ηT) ξ,     ξ ~ N(0, I).
///
/// The weight decay `T/σ²` is the prior; T = 0 is plain gradient descent with that decay
/// (zero). For a quadratic U with Hessian H the chain's stationary law is Gaussian with the
/// posterior's mean exactly and covariance `H⁻¹(I − ηT H/2)⁻¹`: the discretisation inflates
/// each variance by `1/(1 − ηTλ/2)`, under 1 % when ηTλ_max < 0.02 (the check in the tests).
///
/// With a constant diagonal preconditioner M (a step η_i per parameter, e.g. one per layer set by
/// that layer's curvature) the chain θ_i ← θ_i − η_i(∂L/∂θ_i + Tθ_i/σ_i²) + √(2η_iT) ξ_i has the
/// same stationary law: the Fokker–Planck current of dθ = −M∇U dt + √(2M) dW vanishes at
/// e^{−U} for any constant positive-definite M.
/// (Welling & Teh 2011; Naveh, Ben David, Sompolinsky & Ringel 2021 for networks.)
public struct LangevinSampler: Sendable {
  /// η, the learning rate of the gradient step.
  public var step: Double
  /// T ≥ 0.
  public var temperature: Double

  public init(step: Double, temperature: Double) {
    precondition(step > 0 && step.isFinite, "step must be positive, got \(step)")
    precondition(
      temperature >= 0 && temperature.isFinite, "temperature must be ≥ 0, got \(temperature)")
    self.step = step
    self.temperature = temperature
  }

  /// One update of `parameters` in place from the loss gradient `gradient`, the prior variance
  /// of each parameter given by `priorVariance(i)` (0: held at 0), the noise drawn from
  /// `random`.
  public func update(
    _ parameters: inout [Double], gradient: [Double], priorVariance: (Int) -> Double,
    using random: inout SplittableRandom
  ) {
    update(
      &parameters, gradient: gradient, priorVariance: priorVariance, stepScale: { _ in 1 },
      using: &random)
  }

  /// One preconditioned update: parameter i moves with step `step · stepScale(i)` (a constant
  /// diagonal preconditioner; each factor must be positive).
  public func update(
    _ parameters: inout [Double], gradient: [Double], priorVariance: (Int) -> Double,
    stepScale: (Int) -> Double, using random: inout SplittableRandom
  ) {
    precondition(parameters.count == gradient.count, "one gradient entry per parameter")
    for i in parameters.indices {
      let variance = priorVariance(i)
      // A zero prior variance is a point mass at 0: the parameter is held there (a network
      // without biases keeps its bias entries at 0).
      guard variance > 0 else {
        parameters[i] = 0
        continue
      }
      let eta = step * stepScale(i)
      let drift = drift(parameters[i], gradient: gradient[i], priorVariance: variance)
      parameters[i] -= eta * drift
      if temperature > 0 {
        parameters[i] += (2 * eta * temperature).squareRoot() * random.nextNormal()
      }
    }
  }

  /// The drift of one parameter, `∂L/∂θ + Tθ/σ² = T ∂U/∂θ`.
  public func drift(_ parameter: Double, gradient: Double, priorVariance: Double) -> Double {
    gradient + temperature * parameter / priorVariance
  }
}

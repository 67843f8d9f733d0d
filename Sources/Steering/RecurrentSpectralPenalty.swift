import Autodiff
import RealModule
import Spectral
import Tensors

/// Which spectral quantity of the recurrent matrix a penalty steers.
public enum RecurrentSpectralMeasure: String, Codable, Sendable, CaseIterable {
  /// The spectral radius `max |λ_i|` (the linearised dynamics' growth rate per step).
  case spectralRadius = "spectral-radius"
  /// The top singular value σ_max (the largest one-step gain).
  case sigmaMax = "sigma-max"
}

/// The spectral penalty of the feedforward work applied to an RNN's recurrent matrix:
/// `λ (m(W_rec) − τ)²` with `m` the spectral radius or σ_max, `τ` fixed or adapted.
///
/// Adaptive targets use ``AdaptiveTargetRule`` with the recurrent Jacobian's χ₁ — the mean
/// squared singular value of `J_t = diag(φ′(a_t)) W_rec` over steps and sequences, the
/// recurrent analogue of the layer χ₁ (mean field: `χ₁ = e^{2λ_max}`) — as its indicator:
/// χ₁ < 1 (activity and gradients die out) raises τ, χ₁ > 1 (they explode) lowers it.
public struct RecurrentSpectralPenalty: Sendable {
  public var measure: RecurrentSpectralMeasure
  public var weight: Double
  public var target: Double
  public var rule: AdaptiveTargetRule?
  var iteration: PowerIteration

  public init(
    measure: RecurrentSpectralMeasure, weight: Double, target: Double,
    rule: AdaptiveTargetRule? = nil, tolerance: Double = 1e-6
  ) {
    self.measure = measure
    self.weight = weight
    self.target = target
    self.rule = rule
    self.iteration = PowerIteration(tolerance: tolerance, maximumIterations: 10_000, seed: 29)
  }

  /// The penalty as a differentiable scalar, and the measured value of `m(W_rec)`.
  public mutating func callAsFunction<S>(_ w: Variable<S>) throws -> (
    penalty: Variable<S>, value: Double
  ) {
    let m: Variable<S>
    switch measure {
    case .spectralRadius: m = try spectralRadius(w)
    case .sigmaMax: m = topSingularValue(w, iteration: &iteration)
    }
    return (square(m + S(-target)) * S(weight), Double(m.value.scalar))
  }

  /// Moves an adaptive target once from the measured recurrent χ₁ (no-op for fixed targets).
  public mutating func adapt(chi1: Double) {
    guard let rule else { return }
    target = rule.adapted([target], chi1: [chi1], deadRate: [nil], boundaryDimension: nil)[0]
  }
}

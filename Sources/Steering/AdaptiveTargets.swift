import RealModule

/// The adaptive target rule of Adaptive Scale-Invariant Spectral Regularization (ASISR): every
/// `every` epochs each hidden layer's target `τ_l` moves multiplicatively toward what the
/// measured criticality indicators ask for,
///
///     s_l = clamp(−ln χ₁_l + κ_dead·max(0, dead_l − d*) − κ_D·max(0, D − D*), −1, 1)
///     τ_l ← clamp(τ_l·exp(η·s_l), τ_min, τ_max)
///
/// - `χ₁_l` (the layer Jacobian's mean squared singular value; 1 at the edge of chaos): below 1
///   the layer contracts signals and gradients (ordered phase, too little sensitivity) → raise
///   τ; above 1 it amplifies them (chaotic phase, exploding sensitivity) → lower τ.
/// - `dead_l`, the fraction of units silent on every training input: above `d*` the layer is
///   losing units → raise τ (larger weights revive them).
/// - `D`, the decision boundary's box-counting dimension (2-D inputs only): above `D*` the
///   boundary is getting fractal, a sign of chaos → lower every τ.
///
/// A missing indicator contributes nothing. The update is multiplicative, so the rule treats
/// τ = 0.5 → 1 like 1 → 2 (scale invariance) and τ stays positive; the clamp on `s_l` bounds
/// each change to a factor `e^{±η}`.
public struct AdaptiveTargetRule: Codable, Sendable, Hashable {
  /// Adaptation rate η (the log-τ step per adaptation at full signal).
  public var rate: Double
  /// Adapt every K epochs.
  public var every: Int
  /// Dead-unit rate tolerated before it pushes τ up (d*).
  public var deadRateThreshold: Double
  /// κ_dead.
  public var deadRateWeight: Double
  /// Boundary dimension tolerated before it pushes τ down (D*).
  public var boundaryThreshold: Double
  /// κ_D.
  public var boundaryWeight: Double
  /// τ_min.
  public var minimum: Double
  /// τ_max.
  public var maximum: Double

  public init(
    rate: Double = 0.1, every: Int = 5, deadRateThreshold: Double = 0.1,
    deadRateWeight: Double = 2, boundaryThreshold: Double = 1.05, boundaryWeight: Double = 2,
    minimum: Double = 0.25, maximum: Double = 4
  ) {
    self.rate = rate
    self.every = every
    self.deadRateThreshold = deadRateThreshold
    self.deadRateWeight = deadRateWeight
    self.boundaryThreshold = boundaryThreshold
    self.boundaryWeight = boundaryWeight
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The signal `s_l` of one layer (positive: raise τ).
  public func signal(chi1: Double?, deadRate: Double?, boundaryDimension: Double?) -> Double {
    var s = 0.0
    if let chi1, chi1 > 0, chi1.isFinite { s -= Double.log(chi1) }
    if let deadRate, deadRate.isFinite {
      s += deadRateWeight * max(0, deadRate - deadRateThreshold)
    }
    if let boundaryDimension, boundaryDimension.isFinite {
      s -= boundaryWeight * max(0, boundaryDimension - boundaryThreshold)
    }
    return min(1, max(-1, s))
  }

  /// The targets after one adaptation, from per-layer χ₁ and dead rates and the boundary
  /// dimension.
  public func adapted(
    _ taus: [Double], chi1: [Double?], deadRate: [Double?], boundaryDimension: Double?
  ) -> [Double] {
    taus.enumerated().map { l, tau in
      let s = signal(
        chi1: l < chi1.count ? chi1[l] : nil, deadRate: l < deadRate.count ? deadRate[l] : nil,
        boundaryDimension: boundaryDimension)
      return min(maximum, max(minimum, tau * Double.exp(rate * s)))
    }
  }

  /// Why a rule cannot be used, or `nil`.
  public var problem: (key: String, message: String)? {
    if !(rate > 0 && rate.isFinite) { return ("rate", "must be a positive number, got \(rate)") }
    if every < 1 { return ("every", "must be at least 1 epoch, got \(every)") }
    if !(minimum > 0 && minimum <= maximum && maximum.isFinite) {
      return ("minimum", "need 0 < minimum ≤ maximum, got \(minimum) and \(maximum)")
    }
    if !(deadRateThreshold >= 0 && deadRateThreshold < 1) {
      return ("deadRateThreshold", "must be in [0, 1), got \(deadRateThreshold)")
    }
    if !(deadRateWeight >= 0 && deadRateWeight.isFinite) {
      return ("deadRateWeight", "must be a finite number ≥ 0, got \(deadRateWeight)")
    }
    if !(boundaryWeight >= 0 && boundaryWeight.isFinite) {
      return ("boundaryWeight", "must be a finite number ≥ 0, got \(boundaryWeight)")
    }
    if !(boundaryThreshold >= 0 && boundaryThreshold.isFinite) {
      return ("boundaryThreshold", "must be a finite number ≥ 0, got \(boundaryThreshold)")
    }
    return nil
  }
}

import RealModule

/// A learning rate driven by the distance from criticality (SPEC §4):
/// `lr = base·(|σ̄ − 1| + ε)^−a`, clipped to `[minimum, maximum]`, with `σ̄` the mean top
/// singular value of the hidden layers. Near σ̄ = 1 the network is close to the edge of chaos
/// and takes larger steps; far from it, smaller ones.
public struct CriticalLearningRate: Codable, Sendable, Hashable {
  /// The exponent `a`.
  public var exponent: Double
  /// ε, which bounds the factor at σ̄ = 1 by `ε^−a`.
  public var epsilon: Double
  /// lr_min.
  public var minimum: Double
  /// lr_max.
  public var maximum: Double

  public init(
    exponent: Double = 0.5, epsilon: Double = 0.1, minimum: Double = 1e-5, maximum: Double = 1e-2
  ) {
    self.exponent = exponent
    self.epsilon = epsilon
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The learning rate for base rate `base` at mean top singular value `meanSigma`.
  public func learningRate(base: Double, meanSigma: Double) -> Double {
    guard meanSigma.isFinite else { return minimum }
    let raw = base * Double.pow(abs(meanSigma - 1) + epsilon, -exponent)
    return min(maximum, max(minimum, raw))
  }

  /// Why the settings cannot be used, or `nil`.
  public var problem: (key: String, message: String)? {
    if !(exponent >= 0 && exponent.isFinite) {
      return ("exponent", "must be a finite number ≥ 0, got \(exponent)")
    }
    if !(epsilon > 0 && epsilon.isFinite) {
      return ("epsilon", "must be a positive number, got \(epsilon)")
    }
    if !(minimum > 0 && minimum <= maximum && maximum.isFinite) {
      return ("minimum", "need 0 < minimum ≤ maximum, got \(minimum) and \(maximum)")
    }
    return nil
  }
}

/// Spectral control of an RNN's recurrent matrix: none, or the penalty
/// `λ (m(W_rec) − τ)²` with `m` the spectral radius or σ_max and `τ` fixed or adaptive
/// (``RecurrentSpectralPenalty``).
public struct RecurrentRegularization: Codable, Sendable, Hashable {
  public enum Kind: String, Codable, Sendable, CaseIterable {
    case none
    case penalty
  }
  public var kind: Kind
  public var measure: RecurrentSpectralMeasure
  /// λ.
  public var weight: Double
  /// τ (the starting value when adaptive).
  public var target: Double
  /// Adapt τ by this rule from the recurrent χ₁ (nil: fixed target).
  public var adaptation: AdaptiveTargetRule?

  public init(
    kind: Kind = .none, measure: RecurrentSpectralMeasure = .spectralRadius, weight: Double = 0.1,
    target: Double = 1, adaptation: AdaptiveTargetRule? = nil
  ) {
    self.kind = kind
    self.measure = measure
    self.weight = weight
    self.target = target
    self.adaptation = adaptation
  }

  /// No spectral control.
  public static let none = RecurrentRegularization()
}

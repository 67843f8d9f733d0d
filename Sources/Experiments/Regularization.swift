import Steering

/// How training steers the hidden layers' spectra.
///
/// - `none`: plain training (the baseline).
/// - `spectralPenalty`: adds `λ Σ_l (σ_l − τ_l)²` over the hidden layers (not the readout) to
///   the loss, `σ_l` the top singular value by warm-started power iteration and `τ_l` from
///   `targets` (fixed, layer-wise or RG flow).
/// - `spectralNorm`: trains `W_l/σ(W_l)` for every hidden layer (Miyato et al. 2018), the
///   comparison condition.
public struct RegularizationConfiguration: Codable, Sendable, Hashable {
  public enum Kind: String, CaseIterable, Codable, Sendable {
    case none
    case spectralPenalty = "spectral-penalty"
    case spectralNorm = "spectral-norm"
  }

  public var kind: Kind
  /// λ of the spectral penalty.
  public var weight: Double
  public var targets: SpectralTargets

  public init(kind: Kind = .none, weight: Double = 0.1, targets: SpectralTargets = .fixed(1)) {
    self.kind = kind
    self.weight = weight
    self.targets = targets
  }

  /// No regularisation.
  public static let none = RegularizationConfiguration()
}

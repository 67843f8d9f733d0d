/// How training steers the hidden layers' spectra.
///
/// - `none`: plain training (the baseline).
/// - `spectralPenalty`: adds `λ Σ_l (σ_l − τ_l)²` over the hidden layers (not the readout) to
///   the loss, `σ_l` the top singular value by warm-started power iteration and `τ_l` from
///   `targets` (fixed, layer-wise or RG flow).
/// - `spectralNorm`: trains `W_l/σ(W_l)` for every hidden layer (Miyato et al. 2018) exactly
///   as PyTorch's `parametrizations.spectral_norm` does (``SpectralNormalization``:
///   `powerIterations` per step, default 1; evaluation with the stored vectors), the
///   comparison condition.
///
/// With `targets` of kind `adaptive`, the penalty's targets follow `adaptation` (ASISR).
/// `jacobianWeight` adds the Jacobian-criticality penalty `λ_J Σ_l (χ̂₁_l − 1)²`
/// (``jacobianChi1Penalty(preActivations:weights:activation:weight:)``) to any of the above.
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
  /// The rule adaptive targets follow (defaults when `nil`).
  public var adaptation: AdaptiveTargetRule?
  /// λ_J of the Jacobian χ₁ penalty (`nil` or 0: off).
  public var jacobianWeight: Double?
  /// Power iterations per training step of spectral normalisation (`nil`: 1, PyTorch's
  /// default `n_power_iterations`).
  public var powerIterations: Int?

  public init(
    kind: Kind = .none, weight: Double = 0.1, targets: SpectralTargets = .fixed(1),
    adaptation: AdaptiveTargetRule? = nil, jacobianWeight: Double? = nil,
    powerIterations: Int? = nil
  ) {
    self.powerIterations = powerIterations
    self.kind = kind
    self.weight = weight
    self.targets = targets
    self.adaptation = adaptation
    self.jacobianWeight = jacobianWeight
  }

  /// Whether the targets adapt during training.
  public var adapts: Bool {
    if kind == .spectralPenalty, case .adaptive = targets { return true }
    return false
  }

  /// The adaptive rule in force.
  public var rule: AdaptiveTargetRule { adaptation ?? AdaptiveTargetRule() }

  /// Whether the Jacobian χ₁ penalty is on.
  public var penalizesJacobian: Bool { (jacobianWeight ?? 0) > 0 }

  /// No regularisation.
  public static let none = RegularizationConfiguration()
}

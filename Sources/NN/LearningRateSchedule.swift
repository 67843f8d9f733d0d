import RealModule

/// Learning rate as a function of the epoch (0-based), evaluated once per epoch.
///
/// An optional linear warm-up comes first: `η_e = η·(e+1)/W` for `e < W`. Then, with
/// `e′ = e − W` and `T′ = T − W` the remaining epochs:
/// - `constant`: `η`
/// - `step`: `η·γ^⌊e′/s⌋` (decay by `γ` every `s` epochs)
/// - `cosine`: `η_min + (η − η_min)(1 + cos(π e′/T′))/2` (Loshchilov & Hutter 2017, no restarts)
public struct LearningRateSchedule: Codable, Sendable, Hashable {
  public enum Kind: String, CaseIterable, Codable, Sendable {
    case constant, step, cosine
  }

  public var kind: Kind
  /// `s`: epochs between decays of the `step` schedule.
  public var stepEpochs: Int
  /// `γ`: factor applied at each decay of the `step` schedule.
  public var stepFactor: Double
  /// `η_min`: the floor of the `cosine` schedule.
  public var minimumLearningRate: Double
  /// `W`: epochs of linear warm-up (0: none).
  public var warmupEpochs: Int

  public init(
    kind: Kind = .constant, stepEpochs: Int = 50, stepFactor: Double = 0.5,
    minimumLearningRate: Double = 0, warmupEpochs: Int = 0
  ) {
    self.kind = kind
    self.stepEpochs = stepEpochs
    self.stepFactor = stepFactor
    self.minimumLearningRate = minimumLearningRate
    self.warmupEpochs = warmupEpochs
  }

  /// The learning rate for `epoch` of `totalEpochs`, given the base rate.
  public func learningRate(epoch: Int, totalEpochs: Int, base: Double) -> Double {
    if epoch < warmupEpochs { return base * Double(epoch + 1) / Double(warmupEpochs) }
    let e = epoch - warmupEpochs
    let remaining = max(totalEpochs - warmupEpochs, 1)
    switch kind {
    case .constant:
      return base
    case .step:
      return base * Double.pow(stepFactor, Double(e / max(stepEpochs, 1)))
    case .cosine:
      let progress = Double(e) / Double(remaining)
      return minimumLearningRate + (base - minimumLearningRate) * (1 + Double.cos(.pi * progress))
        / 2
    }
  }
}

import Foundation
import NN
import Statistics

/// SPEC §7 protocol 7, `attention`: (1) rank collapse at initialisation against depth
/// (``RankCollapse``) for pure attention, attention with residual connections, with MLPs, with
/// LayerNorm, and the full pre-LN block, over several seeds; (2) small transformers trained on
/// sequence tasks with and without spectral control (``AttentionTraining``).
public struct AttentionProtocol: Codable, Sendable, Equatable {
  public var name: String
  public var depth: Int
  public var width: Int
  public var heads: Int
  public var length: Int
  public var seeds: Int
  public var training: AttentionTraining

  /// One architecture of the collapse experiment.
  public struct Variant: Codable, Sendable, Equatable {
    public var label: String
    public var parts: TransformerBlockParts
  }

  /// Pure attention, then each counter-measure alone, then all together.
  public static let variants = [
    Variant(label: "pure attention", parts: .pureAttention),
    Variant(
      label: "attention + residual",
      parts: TransformerBlockParts(residual: true, layerNorm: false, mlp: false)),
    Variant(
      label: "attention + MLP",
      parts: TransformerBlockParts(residual: false, layerNorm: false, mlp: true)),
    Variant(
      label: "attention + LayerNorm",
      parts: TransformerBlockParts(residual: false, layerNorm: true, mlp: false)),
    Variant(label: "full pre-LN block", parts: TransformerBlockParts()),
  ]

  /// Depth 32, width 64, 4 heads, 32 tokens, 10 seeds.
  public static func full() -> AttentionProtocol {
    AttentionProtocol(
      name: "attention", depth: 32, width: 64, heads: 4, length: 32, seeds: 10,
      training: .full())
  }

  /// Depth 16, width 32, 4 heads, 16 tokens, 5 seeds (seconds).
  public static func quick() -> AttentionProtocol {
    AttentionProtocol(
      name: "attention-quick", depth: 16, width: 32, heads: 4, length: 16, seeds: 5,
      training: .quick())
  }

  /// Variant × seed; the seed k + 1 draws the same tokens for every variant.
  public var collapseRuns: [(variant: Variant, run: RankCollapse)] {
    Self.variants.flatMap { variant in
      (0..<seeds).map { k in
        (
          variant,
          RankCollapse(
            parts: variant.parts, depth: depth, width: width, heads: heads, length: length,
            seed: UInt64(k) + 1)
        )
      }
    }
  }

  public func validate() throws {
    guard (1...1000).contains(seeds) else {
      throw ConfigurationError(key: "seeds", message: "must be in 1…1000, got \(seeds)")
    }
    for (_, run) in collapseRuns { try run.validate() }
    try training.validate()
  }
}

/// What the collapse experiment measured, per variant and depth over seeds.
public struct AttentionSummary: Sendable {
  public var definition: AttentionProtocol
  public var runs: [(variant: AttentionProtocol.Variant, layers: [RankCollapse.Layer])]
  /// The trained part.
  public var training: AttentionTrainingSummary

  public init(
    definition: AttentionProtocol,
    runs: [(variant: AttentionProtocol.Variant, layers: [RankCollapse.Layer])],
    training: AttentionTrainingSummary
  ) {
    self.definition = definition
    self.runs = runs
    self.training = training
  }

  /// Residuals below this are rounding: double precision's resolution of a relative quantity.
  public static let floor = 1e-15

  /// log₁₀ r_ℓ (clipped at ``floor``) and the effective rank, mean with a 95 % interval over
  /// seeds, at depths 0…depth.
  public func curves(_ variant: AttentionProtocol.Variant) -> (
    logResidual: [MeanInterval], effectiveRank: [MeanInterval]
  ) {
    let layers = runs.filter { $0.variant == variant }.map(\.layers)
    let depths = 0...definition.depth
    return (
      depths.map { l in
        MeanInterval(
          layers.compactMap { l < $0.count ? log10(max($0[l].residual, Self.floor)) : nil })
      },
      depths.map { l in
        MeanInterval(layers.compactMap { l < $0.count ? $0[l].effectiveRank : nil })
      }
    )
  }

  /// How −log r grows per layer while r is above 10⁻¹²: the mean of log r_{ℓ+1}/log r_ℓ over
  /// those layers and seeds, with a 95 % interval over seeds. About 1 for an exponential decay
  /// (log r falls by a constant per layer, so the ratio tends to 1), above 1 and steady for a
  /// doubly exponential one (Dong et al.'s bound: 3).
  public func growthFactor(_ variant: AttentionProtocol.Variant) -> MeanInterval {
    let perSeed = runs.filter { $0.variant == variant }.compactMap { run -> Double? in
      var ratios: [Double] = []
      for l in 1..<max(run.layers.count - 1, 1) {
        let (a, b) = (run.layers[l].residual, run.layers[l + 1].residual)
        guard a < 0.5, b > 1e-12, a > 0 else { continue }
        ratios.append(log(b) / log(a))
      }
      return ratios.isEmpty ? nil : ratios.reduce(0, +) / Double(ratios.count)
    }
    return MeanInterval(perSeed)
  }

  /// Plain sentences on what the experiment found.
  public func verdicts() -> [String] {
    AttentionProtocol.variants.map { variant in
      let c = curves(variant)
      let last = c.logResidual.last ?? MeanInterval([])
      let g = growthFactor(variant)
      let collapsedAt = c.logResidual.firstIndex { $0.mean <= log10(AttentionSummary.floor) + 0.5 }
      var sentence = String(
        format: "%@: log₁₀ r at depth %d is %.2f ± %.2f; effective rank %.2f of %d",
        variant.label, definition.depth, last.mean, last.halfWidth,
        c.effectiveRank.last?.mean ?? .nan, definition.length)
      if let collapsedAt {
        sentence += " — collapsed to rounding by depth \(collapsedAt)"
      }
      if g.count > 0 {
        sentence += String(
          format: "; −log r grows ×%.2f ± %.2f per layer before that", g.mean, g.halfWidth)
      }
      return sentence + "."
    }
  }
}

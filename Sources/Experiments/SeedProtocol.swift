import Data
import Indicators
import Statistics

/// SPEC §7 protocol 1, `seed-poc`: two moons (1000 points, noise 0.2, 80/20 split, one data
/// set for all seeds), MLP 2→64→64→64→2 ReLU, Adam 10⁻³, mini-batch 64, 200 epochs, baseline
/// vs a spectral penalty pulling every hidden layer's σ_max to τ = 1 with λ = 0.1, five seeds,
/// every indicator every epoch.
public struct SeedProtocol: Codable, Sendable {
  /// A named training condition.
  public struct Condition: Codable, Sendable {
    public var name: String
    public var regularization: RegularizationConfiguration
  }

  public var base: TrainingConfiguration
  public var conditions: [Condition]
  public var seeds: [UInt64]

  public init(
    seeds: Int = 5, epochs: Int = 200, penaltyWeight: Double = 0.1, target: Double = 1,
    indicatorsEvery: Int = 1, boundaryResolution: Int = 256
  ) {
    base = TrainingConfiguration(
      epochs: epochs,
      indicators: IndicatorOptions(every: indicatorsEvery, boundaryResolution: boundaryResolution))
    conditions = [
      Condition(name: "baseline", regularization: .none),
      Condition(
        name: "spectral-tau\(target.formatted())",
        regularization: RegularizationConfiguration(
          kind: .spectralPenalty, weight: penaltyWeight, targets: .fixed(target))),
    ]
    self.seeds = (0..<seeds).map(UInt64.init)
  }

  /// Every run: condition-major, then seed.
  public var runs: [(condition: Int, seed: UInt64, configuration: TrainingConfiguration)] {
    conditions.enumerated().flatMap { c, condition in
      seeds.map { seed in
        var configuration = base
        configuration.seed = seed
        configuration.regularization = condition.regularization
        return (c, seed, configuration)
      }
    }
  }
}

extension Double {
  /// `1` for whole numbers, else the shortest form (`1.5`).
  func formatted() -> String { self == rounded() ? String(Int(self)) : "\(self)" }
}

/// Per-epoch mean ± 95 % CI of one metric over a condition's runs.
public struct MetricCurve: Sendable {
  public var epochs: [Double]
  public var intervals: [MeanInterval]
}

/// A condition's runs, for aggregation.
public struct ConditionRuns: Sendable {
  public var name: String
  public var results: [TrainingResult]

  public init(name: String, results: [TrainingResult]) {
    self.name = name
    self.results = results
  }

  /// Mean and confidence interval of `metric` at every epoch recorded by all runs.
  public func curve(_ metric: (EpochMetrics) -> Double?) -> MetricCurve {
    let epochs = results.map(\.metrics.count).min() ?? 0
    var xs: [Double] = []
    var intervals: [MeanInterval] = []
    for e in 0..<epochs {
      let values = results.compactMap { metric($0.metrics[e]) }
      guard !values.isEmpty else { continue }
      xs.append(Double(e + 1))
      intervals.append(MeanInterval(values))
    }
    return MetricCurve(epochs: xs, intervals: intervals)
  }

  /// The final value of `metric` in each run (in seed order).
  public func finals(_ metric: (EpochMetrics) -> Double?) -> [Double] {
    results.map { $0.metrics.last.flatMap(metric) ?? .nan }
  }
}

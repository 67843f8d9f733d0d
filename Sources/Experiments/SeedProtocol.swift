import Data
import Indicators
import Statistics
import Steering

/// SPEC §7 protocol 1, `seed-poc`: two moons (1000 points, noise 0.2, 80/20 split, one data
/// set for all seeds), MLP 2→64→64→64→2 ReLU, Adam 10⁻³, mini-batch 64, 200 epochs, baseline
/// vs a spectral penalty pulling every hidden layer's σ_max to τ = 1 with λ = 0.1, five seeds,
/// every indicator every epoch, the training-dynamics series recorded.
public struct SeedProtocol: Codable, Sendable {
  /// A named training condition: the base configuration with the condition's changes.
  public struct Condition: Codable, Sendable {
    public var name: String
    public var configuration: TrainingConfiguration

    public init(name: String, configuration: TrainingConfiguration) {
      self.name = name
      self.configuration = configuration
    }
  }

  /// The protocol's name (the run directory's default name).
  public var name: String
  public var base: TrainingConfiguration
  /// The first condition is the baseline the others are compared with.
  public var conditions: [Condition]
  public var seeds: [UInt64]

  public init(
    name: String, base: TrainingConfiguration, conditions: [Condition], seeds: [UInt64]
  ) {
    self.name = name
    self.base = base
    self.conditions = conditions
    self.seeds = seeds
  }

  /// The seed experiment with its defaults (or the given changes).
  public init(
    seeds: Int = 5, epochs: Int = 200, penaltyWeight: Double = 0.1, target: Double = 1,
    indicatorsEvery: Int = 1, boundaryResolution: Int = 256
  ) {
    name = "seed-poc"
    base = TrainingConfiguration(
      epochs: epochs,
      indicators: IndicatorOptions(every: indicatorsEvery, boundaryResolution: boundaryResolution))
    base.recordDynamics = true
    var penalised = base
    penalised.regularization = RegularizationConfiguration(
      kind: .spectralPenalty, weight: penaltyWeight, targets: .fixed(target))
    conditions = [
      Condition(name: "baseline", configuration: base),
      Condition(name: "spectral-tau\(target.compactText)", configuration: penalised),
    ]
    self.seeds = (0..<seeds).map(UInt64.init)
  }

  /// Every run: condition-major, then seed.
  public var runs: [(condition: Int, seed: UInt64, configuration: TrainingConfiguration)] {
    conditions.enumerated().flatMap { c, condition in
      seeds.map { seed in
        var configuration = condition.configuration
        configuration.seed = seed
        return (c, seed, configuration)
      }
    }
  }

  /// The small smoke-test version (`--quick`): the first two seeds, 20 epochs, indicators every
  /// 5 epochs, in every condition.
  public func quick() -> SeedProtocol {
    func shrink(_ configuration: TrainingConfiguration) -> TrainingConfiguration {
      var configuration = configuration
      configuration.epochs = 20
      configuration.indicators?.every = 5
      return configuration
    }
    return SeedProtocol(
      name: name, base: shrink(base),
      conditions: conditions.map {
        Condition(name: $0.name, configuration: shrink($0.configuration))
      },
      seeds: Array(seeds.prefix(2)))
  }
}

extension Double {
  /// `1` for whole numbers, else Swift's shortest round-tripping form (`1.5`), whatever the
  /// locale.
  public var compactText: String {
    self == rounded() && abs(self) < 1e15 ? String(Int(self)) : "\(self)"
  }
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

  /// The final value of `metric` in each run with the run's seed and whether it diverged,
  /// for comparison tables.
  public func seededFinals(_ metric: (EpochMetrics) -> Double?) -> [SeededValue] {
    results.map { result in
      var diverged = false
      if case .diverged = result.status { diverged = true }
      return SeededValue(
        seed: result.configuration.seed, value: result.metrics.last.flatMap(metric),
        diverged: diverged)
    }
  }
}

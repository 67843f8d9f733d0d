import Tensors

/// A percentile bootstrap confidence interval (Efron & Tibshirani 1993, *An Introduction to
/// the Bootstrap*, §13.3): draw `resamples` samples of size n with replacement, evaluate the
/// statistic on each, and take the `(1 − level)/2` and `(1 + level)/2` empirical quantiles
/// (linear interpolation between order statistics, NumPy's default). Seeded: the same seed
/// gives the same interval.
public struct BootstrapInterval: Codable, Sendable, Equatable {
  /// The statistic on the original sample.
  public var estimate: Double
  public var lower: Double
  public var upper: Double
  public var level: Double
  public var resamples: Int

  /// Bootstraps `statistic` (the mean by default) of the finite values of `values`.
  public init(
    _ values: [Double], level: Double = 0.95, resamples: Int = 10_000, seed: UInt64 = 0,
    statistic: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }
  ) {
    precondition(level > 0 && level < 1, "confidence level must be in (0, 1), got \(level)")
    precondition(resamples >= 1, "need at least one resample")
    let sample = values.filter(\.isFinite)
    self.level = level
    self.resamples = resamples
    guard !sample.isEmpty else {
      estimate = .nan
      lower = .nan
      upper = .nan
      return
    }
    estimate = statistic(sample)
    var random = SplittableRandom(seed: seed)
    var draws = [Double](repeating: 0, count: sample.count)
    var replicates = [Double]()
    replicates.reserveCapacity(resamples)
    for _ in 0..<resamples {
      for i in draws.indices { draws[i] = sample[random.nextInt(below: sample.count)] }
      replicates.append(statistic(draws))
    }
    replicates.sort()
    lower = empiricalQuantile(sorted: replicates, (1 - level) / 2)
    upper = empiricalQuantile(sorted: replicates, (1 + level) / 2)
  }
}

/// The `p`-quantile of sorted values by linear interpolation between order statistics at
/// position `p·(n − 1)` (NumPy's default `linear` method).
public func empiricalQuantile(sorted values: [Double], _ p: Double) -> Double {
  guard !values.isEmpty else { return .nan }
  let position = p * Double(values.count - 1)
  let below = Int(position.rounded(.down))
  let above = min(below + 1, values.count - 1)
  let fraction = position - Double(below)
  return values[below] + fraction * (values[above] - values[below])
}

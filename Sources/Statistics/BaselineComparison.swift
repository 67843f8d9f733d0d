/// One condition's outcome against a baseline's, by the test the design allows: a paired
/// t-test when the runs pair up by seed (every run has a baseline run with its seed, seeds
/// distinct, at least two pairs), else Welch's t-test; with Hedges' g as the effect size.
public struct BaselineComparison: Codable, Sendable, Equatable {
  public enum Test: String, Codable, Sendable {
    case paired
    case welch = "Welch"
  }

  public var test: Test
  /// Mean of the condition minus mean of the baseline (over pairs when paired).
  public var difference: Double
  public var pValue: Double
  public var hedgesG: Double

  /// `values[i]` came from seed `seeds[i]`; likewise for the baseline.
  public init(
    values: [Double], seeds: [UInt64], baseline: [Double], baselineSeeds: [UInt64]
  ) {
    precondition(values.count == seeds.count && baseline.count == baselineSeeds.count)
    hedgesG = Statistics.hedgesG(values, baseline)
    let bySeed = Dictionary(zip(baselineSeeds, baseline), uniquingKeysWith: { a, _ in a })
    let partners = seeds.compactMap { bySeed[$0] }
    if values.count >= 2, partners.count == values.count, Set(seeds).count == seeds.count {
      let paired = PairedTTest(values, partners)
      test = .paired
      difference = paired.meanDifference
      pValue = paired.pValue
    } else {
      let welch = WelchTTest(values, baseline)
      test = .welch
      difference = welch.meanDifference
      pValue = welch.pValue
    }
  }
}

/// One run's entry in a comparison: its seed, its value of the outcome (`nil` when the run did
/// not produce one) and whether it diverged.
public struct SeededValue: Codable, Sendable, Equatable {
  public var seed: UInt64
  public var value: Double?
  public var diverged: Bool

  public init(seed: UInt64, value: Double?, diverged: Bool = false) {
    self.seed = seed
    self.value = value
    self.diverged = diverged
  }

  /// The value the statistics use: finite, from a run that did not diverge.
  public var usable: Double? {
    guard !diverged, let value, value.isFinite else { return nil }
    return value
  }
}

extension BaselineComparison {
  /// The one rule every comparison table applies to missing and diverged runs.
  ///
  /// - A run counts when it did not diverge and has a finite value; a diverged run, or one
  ///   without the value, is left out of the test and of g (tables show how many).
  /// - The design is paired when the condition's seeds are distinct and every one of them has
  ///   a baseline run (decided on all runs, before any are left out). The paired t-test then
  ///   runs over the seeds where both runs count (complete pairs); it needs two.
  /// - Otherwise Welch's t-test over the runs that count, two per side at least.
  /// - Hedges' g over the runs that count on each side (pooled standard deviation, also for
  ///   paired designs, so that g reads the same in every table).
  ///
  /// `nil` when no test can run.
  public init?(_ condition: [SeededValue], against baseline: [SeededValue]) {
    let seeds = condition.map(\.seed)
    let baselineBySeed = Dictionary(
      baseline.map { ($0.seed, $0) }, uniquingKeysWith: { first, _ in first })
    let paired =
      Set(seeds).count == seeds.count && !seeds.isEmpty
      && seeds.allSatisfy { baselineBySeed[$0] != nil }
    let a = condition.compactMap(\.usable)
    let b = baseline.compactMap(\.usable)
    if paired {
      let pairs = condition.compactMap { run -> (Double, Double)? in
        guard let x = run.usable, let y = baselineBySeed[run.seed]?.usable else { return nil }
        return (x, y)
      }
      guard pairs.count >= 2 else { return nil }
      let test = PairedTTest(pairs.map(\.0), pairs.map(\.1))
      self.test = .paired
      difference = test.meanDifference
      pValue = test.pValue
    } else {
      guard a.count >= 2, b.count >= 2 else { return nil }
      let test = WelchTTest(a, b)
      self.test = .welch
      difference = test.meanDifference
      pValue = test.pValue
    }
    hedgesG = Statistics.hedgesG(a, b)
  }
}

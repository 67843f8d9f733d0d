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

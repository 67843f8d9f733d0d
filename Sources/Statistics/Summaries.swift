/// Mean of a sample with a Student-t confidence interval: `x̄ ± t_{1−α/2, n−1}·s/√n`,
/// `s` the sample standard deviation (n − 1 in the denominator).
public struct MeanInterval: Codable, Sendable, Equatable {
  public var mean: Double
  /// Half-width of the interval (NaN for fewer than two values).
  public var halfWidth: Double
  public var count: Int
  public var level: Double

  public var lower: Double { mean - halfWidth }
  public var upper: Double { mean + halfWidth }

  /// The interval of `values` at confidence `level` (0.95 by default). Non-finite values
  /// are left out (a diverged run has no accuracy to average).
  public init(_ values: [Double], level: Double = 0.95) {
    let finite = values.filter { $0.isFinite }
    count = finite.count
    self.level = level
    mean = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    guard finite.count >= 2 else {
      halfWidth = .nan
      return
    }
    let m = mean
    let variance = finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count - 1)
    let t = StudentT(degreesOfFreedom: Double(finite.count - 1)).quantile(0.5 + level / 2)
    halfWidth = t * (variance / Double(finite.count)).squareRoot()
  }
}

/// Paired t-test of `a` against `b` (pairs by index, e.g. by seed): `t = d̄/(s_d/√n)` with
/// `n − 1` degrees of freedom, two-sided p-value (SciPy's `ttest_rel`).
public struct PairedTTest: Codable, Sendable, Equatable {
  public var meanDifference: Double
  public var statistic: Double
  public var degreesOfFreedom: Int
  public var pValue: Double

  public init(_ a: [Double], _ b: [Double]) {
    precondition(a.count == b.count, "paired samples differ in length: \(a.count) vs \(b.count)")
    let d = zip(a, b).map { $0 - $1 }.filter { $0.isFinite }
    let n = d.count
    degreesOfFreedom = n - 1
    meanDifference = n > 0 ? d.reduce(0, +) / Double(n) : .nan
    guard n >= 2 else {
      statistic = .nan
      pValue = .nan
      return
    }
    let m = meanDifference
    let variance = d.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
    if variance == 0 {
      statistic = m == 0 ? .nan : (m > 0 ? .infinity : -.infinity)
      pValue = m == 0 ? 1 : 0
      return
    }
    statistic = m / (variance / Double(n)).squareRoot()
    pValue = StudentT(degreesOfFreedom: Double(n - 1)).twoSidedPValue(statistic)
  }

  /// Significance marks used in tables: `***` p < 0.001, `**` p < 0.01, `*` p < 0.05.
  public var marks: String { significanceMarks(pValue) }
}

/// Welch's two-sample t-test for samples that do not pair (unequal variances allowed):
/// `t = (x̄_a − x̄_b)/√(s_a²/n_a + s_b²/n_b)` with the Welch–Satterthwaite degrees of freedom
/// `ν = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1))`, two-sided
/// p-value. Matches SciPy's `ttest_ind(a, b, equal_var=False)`. Non-finite values are left out.
public struct WelchTTest: Codable, Sendable, Equatable {
  public var meanDifference: Double
  public var statistic: Double
  public var degreesOfFreedom: Double
  public var pValue: Double

  public init(_ a: [Double], _ b: [Double]) {
    let a = a.filter(\.isFinite)
    let b = b.filter(\.isFinite)
    let (meanA, varianceA) = meanAndVariance(a)
    let (meanB, varianceB) = meanAndVariance(b)
    meanDifference = meanA - meanB
    guard a.count >= 2, b.count >= 2 else {
      statistic = .nan
      degreesOfFreedom = .nan
      pValue = .nan
      return
    }
    let errorA = varianceA / Double(a.count)
    let errorB = varianceB / Double(b.count)
    let standardError = (errorA + errorB).squareRoot()
    if standardError == 0 {
      statistic = meanDifference == 0 ? .nan : (meanDifference > 0 ? .infinity : -.infinity)
      degreesOfFreedom = Double(a.count + b.count - 2)
      pValue = meanDifference == 0 ? 1 : 0
      return
    }
    statistic = meanDifference / standardError
    degreesOfFreedom =
      (errorA + errorB) * (errorA + errorB)
      / (errorA * errorA / Double(a.count - 1) + errorB * errorB / Double(b.count - 1))
    pValue = StudentT(degreesOfFreedom: degreesOfFreedom).twoSidedPValue(statistic)
  }

  /// Significance marks: `***` p < 0.001, `**` p < 0.01, `*` p < 0.05.
  public var marks: String { significanceMarks(pValue) }
}

/// Sample mean and variance (n − 1 in the denominator; NaN variance for fewer than 2 values).
public func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double) {
  guard !values.isEmpty else { return (.nan, .nan) }
  let mean = values.reduce(0, +) / Double(values.count)
  guard values.count >= 2 else { return (mean, .nan) }
  let variance =
    values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
  return (mean, variance)
}

/// Table marks for a p-value: `***` p < 0.001, `**` p < 0.01, `*` p < 0.05, else empty.
public func significanceMarks(_ p: Double) -> String {
  guard p.isFinite else { return "" }
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : ""
}

import CritTestSupport
import Statistics
import Testing

/// Quantiles against SciPy 1.17: `scipy.stats.t.ppf(0.975, df)` for df = 1, 4, 9, 30.
@Test(arguments: [
  (1.0, 12.706204736174694), (4.0, 2.7764451051977934), (9.0, 2.262157162798205),
  (30.0, 2.0422724563012378),
])
func studentTQuantileMatchesSciPy(df: Double, expected: Double) {
  #expect(
    isApproximatelyEqual(StudentT(degreesOfFreedom: df).quantile(0.975), expected, relative: 1e-10))
}

/// `2 * scipy.stats.t.sf(2.5, 4) = 0.06676654481198814`,
/// `scipy.stats.t.cdf(-1.3, 7) = 0.11738391769618862`.
@Test func studentTDistributionMatchesSciPy() {
  #expect(
    isApproximatelyEqual(
      StudentT(degreesOfFreedom: 4).twoSidedPValue(2.5), 0.06676654481198814, relative: 1e-10))
  #expect(
    isApproximatelyEqual(
      StudentT(degreesOfFreedom: 7).cdf(-1.3), 0.11738391769618862, relative: 1e-10))
}

/// `scipy.stats.ttest_rel([0.97, 0.975, 0.965, 0.98, 0.96], [0.965, 0.97, 0.97, 0.975, 0.95])`
/// → statistic 1.6329931618554523, p-value 0.17780780835622123, df 4.
@Test func pairedTTestMatchesSciPy() {
  let test = PairedTTest([0.97, 0.975, 0.965, 0.98, 0.96], [0.965, 0.97, 0.97, 0.975, 0.95])
  #expect(isApproximatelyEqual(test.statistic, 1.6329931618554523, relative: 1e-10))
  #expect(isApproximatelyEqual(test.pValue, 0.17780780835622123, relative: 1e-10))
  #expect(test.degreesOfFreedom == 4)
  #expect(test.marks == "")
}

/// Mean ± t·s/√n for [1, 2, 3, 4, 5]: s = √2.5, t(0.975, 4) = 2.7764451051977934.
@Test func confidenceIntervalOfAKnownSample() {
  let interval = MeanInterval([1, 2, 3, 4, 5])
  #expect(interval.mean == 3)
  #expect(
    isApproximatelyEqual(
      interval.halfWidth, 2.7764451051977934 * (2.5 / 5).squareRoot(), relative: 1e-10))
  #expect(MeanInterval([1, .nan, 3]).count == 2)
}

import CritTestSupport
import Statistics
import Tensors
import Testing

// Expected values come from `python3 scripts/statistics_reference.py` (SciPy 1.17.1,
// statsmodels); the calls are quoted beside each test. Tolerance 1e-8 relative is the
// issue's bar; the continued fraction behind the t distribution converges to ~1e-15.

let sampleA = [0.912, 0.934, 0.951, 0.897, 0.944, 0.930, 0.921]
let sampleB = [0.881, 0.902, 0.915, 0.873, 0.920, 0.899, 0.931, 0.865, 0.908]

/// `scipy.stats.ttest_ind(a, b, equal_var=False)` → statistic 2.703824872414257,
/// p-value 0.01722888374623404, df 13.883489417665015.
@Test func welchTTestMatchesSciPy() {
  let test = WelchTTest(sampleA, sampleB)
  #expect(isApproximatelyEqual(test.statistic, 2.703824872414257, relative: 1e-8))
  #expect(isApproximatelyEqual(test.pValue, 0.01722888374623404, relative: 1e-8))
  #expect(isApproximatelyEqual(test.degreesOfFreedom, 13.883489417665015, relative: 1e-8))
  #expect(test.marks == "*")
  // Antisymmetric in its arguments.
  let reversed = WelchTTest(sampleB, sampleA)
  #expect(isApproximatelyEqual(reversed.statistic, -test.statistic, relative: 1e-12))
  #expect(isApproximatelyEqual(reversed.pValue, test.pValue, relative: 1e-12))
}

/// `scipy.stats.ttest_rel(a[:5], b[:5])` → statistic 12.468377266295569,
/// p-value 0.0002379651312855043, df 4.
@Test func pairedTTestMatchesSciPyOnASecondSample() {
  let test = PairedTTest(Array(sampleA[..<5]), Array(sampleB[..<5]))
  #expect(isApproximatelyEqual(test.statistic, 12.468377266295569, relative: 1e-8))
  #expect(isApproximatelyEqual(test.pValue, 0.0002379651312855043, relative: 1e-8))
  #expect(test.marks == "***")
}

/// `scipy.stats.t.interval(0.95, 6, loc=np.mean(a), scale=scipy.stats.sem(a))` →
/// (0.9097637598470972, 0.9442362401529026).
@Test func tIntervalMatchesSciPy() {
  let interval = MeanInterval(sampleA)
  #expect(isApproximatelyEqual(interval.lower, 0.9097637598470972, relative: 1e-8))
  #expect(isApproximatelyEqual(interval.upper, 0.9442362401529026, relative: 1e-8))
}

/// `statsmodels.stats.multitest.multipletests([0.01, 0.04, 0.03, 0.005, 0.2, 0.04],
/// method="holm")[1]` → [0.05, 0.12, 0.12, 0.03, 0.2, 0.12].
@Test func holmMatchesStatsmodels() {
  let adjusted = holmAdjusted([0.01, 0.04, 0.03, 0.005, 0.2, 0.04])
  let expected = [0.05, 0.12, 0.12, 0.03, 0.2, 0.12]
  for (value, reference) in zip(adjusted, expected) {
    #expect(isApproximatelyEqual(value, reference, relative: 1e-12))
  }
  // A NaN stays NaN and does not count towards m: the rest is Holm on three values.
  let withGap = holmAdjusted([0.01, .nan, 0.02, 0.5])
  #expect(withGap[1].isNaN)
  #expect(isApproximatelyEqual(withGap[0], 0.03, relative: 1e-12))
  #expect(isApproximatelyEqual(withGap[2], 0.04, relative: 1e-12))
  #expect(isApproximatelyEqual(withGap[3], 0.5, relative: 1e-12))
}

/// Pooled standard deviation and the exact correction `J = Γ(ν/2)/(√(ν/2)Γ((ν−1)/2))` from
/// `scipy.special.gamma`, ν = 14: J = 0.9452877293068106, g = 1.2580769010859456.
@Test func hedgesGMatchesTheFormulaEvaluatedBySciPy() {
  #expect(isApproximatelyEqual(hedgesG(sampleA, sampleB), 1.2580769010859456, relative: 1e-8))
  #expect(hedgesG([1, 1, 1], [1, 1]).isNaN)
}

/// The bootstrap distribution of a mean of n values is, by the central limit theorem, close
/// to normal with standard deviation σ̂/√n (σ̂ with n in the denominator). For n = 400 the
/// 2.5 % and 97.5 % quantiles of 20 000 resamples lie within 0.1·σ̂/√n of x̄ ∓ 1.96·σ̂/√n:
/// the Monte Carlo error of a tail quantile is ≈ 0.02·σ̂/√n and the skew term O(n^−½) smaller.
@Test func bootstrapMeanIntervalApproachesTheNormalInterval() {
  var random = SplittableRandom(seed: 3)
  let values = (0..<400).map { _ in random.nextNormal() * 2 + 5 }
  let mean = values.reduce(0, +) / 400
  let plugIn = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 400).squareRoot()
  let error = plugIn / 20
  let interval = BootstrapInterval(values, resamples: 20_000, seed: 1)
  #expect(interval.estimate == mean)
  #expect(abs(interval.lower - (mean - 1.959963984540054 * error)) < 0.1 * error)
  #expect(abs(interval.upper - (mean + 1.959963984540054 * error)) < 0.1 * error)
  // Seeded: the same seed gives the same interval, another seed a different one.
  #expect(
    BootstrapInterval(values, resamples: 500, seed: 7)
      == BootstrapInterval(values, resamples: 500, seed: 7))
  #expect(
    BootstrapInterval(values, resamples: 500, seed: 7)
      != BootstrapInterval(values, resamples: 500, seed: 8))
}

/// NumPy's default quantile: `np.quantile([1, 2, 4, 8], [0, 0.25, 0.5, 0.9, 1])` →
/// [1.0, 1.75, 3.0, 6.8, 8.0].
@Test func empiricalQuantileMatchesNumPy() {
  let expected = [(0.0, 1.0), (0.25, 1.75), (0.5, 3.0), (0.9, 6.8), (1.0, 8.0)]
  for (p, value) in expected {
    #expect(
      isApproximatelyEqual(empiricalQuantile(sorted: [1, 2, 4, 8], p), value, relative: 1e-12))
  }
}

/// Runs that pair by seed get the paired test; a group with a seed the baseline lacks (or with
/// a repeated seed) gets Welch's test. Expected values are the tests above, computed from the
/// same samples independently of the pairing logic.
@Test func baselineComparisonPairsBySeedOrFallsBackToWelch() {
  let a = Array(sampleA[..<5])
  let b = Array(sampleB[..<5])
  // Same seeds in another order: pairs are found by seed, not by position.
  let paired = BaselineComparison(
    values: a, seeds: [0, 1, 2, 3, 4], baseline: b.reversed(), baselineSeeds: [4, 3, 2, 1, 0])
  #expect(paired.test == .paired)
  #expect(isApproximatelyEqual(paired.pValue, 0.0002379651312855043, relative: 1e-8))
  let unpaired = BaselineComparison(
    values: sampleA, seeds: (0..<7).map(UInt64.init), baseline: sampleB,
    baselineSeeds: (10..<19).map(UInt64.init))
  #expect(unpaired.test == .welch)
  #expect(isApproximatelyEqual(unpaired.pValue, 0.01722888374623404, relative: 1e-8))
  #expect(isApproximatelyEqual(unpaired.hedgesG, 1.2580769010859456, relative: 1e-8))
  let repeated = BaselineComparison(
    values: a, seeds: [0, 0, 1, 2, 3], baseline: b, baselineSeeds: [0, 1, 2, 3, 4])
  #expect(repeated.test == .welch)
}

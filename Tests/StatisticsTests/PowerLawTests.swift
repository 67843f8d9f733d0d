import CritTestSupport
import Foundation
import Statistics
import Testing

/// Nelder–Mead finds the Rosenbrock minimum (1, 1) from (−1.2, 1).
@Test func nelderMeadFindsTheRosenbrockMinimum() {
  let result = nelderMeadMinimum(start: [-1.2, 1], step: [0.5, 0.5], tolerance: 1e-15) { p in
    100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]) + (1 - p[0]) * (1 - p[0])
  }
  #expect(abs(result.point[0] - 1) < 1e-5 && abs(result.point[1] - 1) < 1e-5, "\(result)")
}

/// On Pareto samples (n = 2000, x_min = 1, seeded) the fitted α is within two standard errors
/// of the truth, and x_min lands in the bulk's lower part (the whole sample is a power law).
@Test(arguments: [2.5, 3.5])
func powerLawFitRecoversParetoExponents(alpha: Double) throws {
  let sample = PowerLawSamples.pareto(count: 2000, alpha: alpha, seed: alpha == 2.5 ? 1 : 2)
  let fit = try #require(PowerLawFit(sample))
  #expect(abs(fit.alpha - alpha) < 2 * fit.standardError, "\(fit.alpha) ± \(fit.standardError)")
  #expect(fit.xMin < 2, "x_min \(fit.xMin)")
  #expect(fit.tailCount > 200)
  // With x_min fixed at the true 1 the estimate uses all 2000 values: SE = (α−1)/√2000.
  let fixed = try #require(PowerLawFit(sample, xMin: 1))
  #expect(fixed.tailCount == 2000)
  #expect(abs(fixed.alpha - alpha) < 2 * fixed.standardError)
  #expect(
    isApproximatelyEqual(
      fixed.standardError, (fixed.alpha - 1) / 2000.0.squareRoot(), relative: 1e-12))
}

/// The MLE is the closed form: α̂ = 1 + n/Σ ln(x_i/x_min) on a hand-made tail.
@Test func powerLawExponentIsTheClosedForm() throws {
  let tail = [1.0, 2, 4, 8]
  let fit = try #require(PowerLawFit(tail, xMin: 1, minimumTail: 2))
  let expected = 1 + 4 / (log(2.0) + log(4.0) + log(8.0))
  #expect(isApproximatelyEqual(fit.alpha, expected, relative: 1e-12))
}

/// On a lognormal sample the likelihood ratio does not favour the power law: R ≤ 0, or the
/// difference is not significant (p ≥ 0.1). On a Pareto sample it does not favour the
/// lognormal either.
@Test func likelihoodRatioAgainstLognormal() throws {
  let lognormal = PowerLawSamples.lognormal(count: 2000, mu: 0, sigma: 1, seed: 3)
  let comparison = try #require(PowerLawFit(lognormal)).compareWithLognormal()
  #expect(comparison.ratio <= 0 || comparison.pValue >= 0.1, "\(comparison)")
  let pareto = PowerLawSamples.pareto(count: 2000, alpha: 2.5, seed: 1)
  let other = try #require(PowerLawFit(pareto)).compareWithLognormal()
  #expect(other.ratio >= 0 || other.pValue >= 0.1, "\(other)")
}

/// The powerlaw package's conventions against a brute-force search written out: every distinct
/// value but the largest is a candidate, `D = max_k |F(x_k) − k/m|` (the lower step), and with
/// `maximumAlpha: 3` the smallest D among candidates with α < 3 wins. On an exponential sample
/// the unrestricted search ends in the far tail with α > 3 and the restricted one does not, so
/// the test tells the two apart.
@Test func powerLawFitWithThePackagesConventions() throws {
  var state: UInt64 = 99
  let data = (0..<1500).map { _ -> Double in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return -log(1 - Double(state >> 11) / Double(1 << 53))
  }
  let sorted = data.sorted()
  func brute(cap: Double?) -> (xMin: Double, alpha: Double, d: Double) {
    var best: (xMin: Double, alpha: Double, d: Double)? = nil
    for start in 0..<(sorted.count - 1) where start == 0 || sorted[start] != sorted[start - 1] {
      let tail = sorted[start...]
      let m = Double(tail.count)
      let alpha = 1 + m / tail.reduce(0) { $0 + log($1 / sorted[start]) }
      if let cap, !(alpha < cap) { continue }
      var d = 0.0
      for (k, x) in tail.enumerated() {
        d = max(d, abs(1 - pow(x / sorted[start], 1 - alpha) - Double(k) / m))
      }
      if best == nil || d < best!.d { best = (sorted[start], alpha, d) }
    }
    return best!
  }
  for cap in [nil, 3.0] {
    let fit = try #require(
      PowerLawFit(data, minimumTail: 2, distance: .lowerStep, maximumAlpha: cap))
    let expected = brute(cap: cap)
    #expect(fit.xMin == expected.xMin, "cap \(String(describing: cap))")
    // Same sums in another order: 1e-12 relative.
    #expect(abs(fit.alpha - expected.alpha) < 1e-12 * expected.alpha)
    #expect(abs(fit.ksDistance - expected.d) < 1e-12)
  }
  let free = try #require(PowerLawFit(data, minimumTail: 2, distance: .lowerStep))
  let capped = try #require(
    PowerLawFit(data, minimumTail: 2, distance: .lowerStep, maximumAlpha: 3))
  #expect(free.alpha >= 3 && capped.alpha < 3)
}

import Experiments
import Foundation
import Testing

/// The crossing is interpolated linearly in log P: values 0.3 at P = 16 and 0.7 at P = 32 reach
/// ½ halfway, at √(16·32); a curve already above the level at its first P, or never reaching
/// it, is censored at that end.
@Test func thresholdCrossingInterpolatesInLogP() throws {
  let samples = [8, 16, 32, 64]
  let crossing = SampleComplexitySummary.crossing(
    samples: samples, values: [0.1, 0.3, 0.7, 0.9], level: 0.5)
  let p = try #require(crossing.value)
  #expect(abs(p - (16.0 * 32).squareRoot()) <= 1e-9 * p)
  #expect(
    SampleComplexitySummary.crossing(samples: samples, values: [0.6, 0.7, 0.8, 0.9], level: 0.5)
      == .atOrBelow(8))
  #expect(
    SampleComplexitySummary.crossing(samples: samples, values: [0.1, 0.2, 0.2, 0.3], level: 0.5)
      == .beyond(64))
}

/// Curves built with a known threshold P*(d) = 5 d^1.5: A rises linearly in log P,
/// A = ½ + log(P/P*)/log 16 (clamped to [0, 1]), on the grid P = d·2^k, k = 0…10, with four
/// draws offset by −0.03, −0.01, 0.01, 0.03 (mean zero). The mean curve crosses ½ exactly at
/// P*, so each P* is recovered to rounding and the slope of log P* on log d is 1.5 to 1e-9;
/// the bootstrap interval over draws contains it and, the offsets moving log P* by at most
/// 0.03·log 16 ≈ 0.08 at each d, is narrower than 0.5. A d whose curve stays below ½ is beyond
/// its grid and left out of the fit.
@Test func slopeOfThresholdsRecoversAKnownPowerLaw() throws {
  let offsets = [-0.03, -0.01, 0.01, 0.03]
  func curve(_ d: Int, threshold: Double) -> SampleComplexitySummary.Curve {
    let samples = (0...10).map { d << $0 }
    let overlaps = samples.map { p in
      offsets.map { offset in
        min(1, max(0, 0.5 + log(Double(p) / threshold) / log(16.0))) + offset
      }
    }
    return SampleComplexitySummary.Curve(dimension: d, samples: samples, overlaps: overlaps)
  }
  let dimensions = [8, 16, 32, 64]
  let curves = dimensions.map { curve($0, threshold: 5 * pow(Double($0), 1.5)) }
  for (d, c) in zip(dimensions, curves) {
    let t = SampleComplexitySummary.threshold(c, level: 0.5)
    let expected = 5 * pow(Double(d), 1.5)
    let value = try #require(t.estimate.value)
    #expect(abs(value - expected) <= 1e-9 * expected, "d = \(d): \(value) vs \(expected)")
    #expect(t.lower <= value && value <= t.upper)
  }
  let fit = try #require(
    SampleComplexitySummary.slope(curves, learner: .network, level: 0.5))
  #expect(abs(fit.slope - 1.5) <= 1e-9)
  #expect(fit.lower <= 1.5 && 1.5 <= fit.upper && fit.upper - fit.lower < 0.5)
  #expect(fit.dimensions == dimensions && fit.leftOut == 0)

  // A fifth d that never learns: beyond its grid, left out of the fit.
  var flat = curve(128, threshold: 1e9)
  flat.overlaps = flat.overlaps.map { $0.map { _ in 0.1 } }
  let withFlat = try #require(
    SampleComplexitySummary.slope(curves + [flat], learner: .network, level: 0.5))
  #expect(withFlat.dimensions == dimensions)
  #expect(SampleComplexitySummary.threshold(flat, level: 0.5).upper == .infinity)
  #expect(
    SampleComplexitySummary.slope(Array(curves.prefix(1)) + [flat], learner: .network, level: 0.5)
      == nil)
}

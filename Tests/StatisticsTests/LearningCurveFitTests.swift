import Foundation
import Statistics
import Tensors
import Testing

/// Noise-free curves a·P^−β + c are recovered: β to 1e-6 (the golden-section search narrows
/// the 0.01 grid step to ~1e-9; the relative residual is then at rounding level), a and c to
/// 1e-5 relative.
@Test(arguments: [(2.0, 0.8, 0.01), (0.5, 1.5, 0.0), (10.0, 0.35, 0.2)])
func learningCurveFitRecoversExactCurves(a: Double, beta: Double, c: Double) throws {
  let samples = (4...13).map { Double(1 << $0) }
  let errors = samples.map { a * pow($0, -beta) + c }
  let fit = try #require(LearningCurveFit(samples: samples, errors: errors))
  #expect(abs(fit.exponent - beta) < 1e-6, "\(fit)")
  #expect(abs(fit.amplitude - a) < 1e-5 * a, "\(fit)")
  #expect(abs(fit.floor - c) < 1e-5 * max(c, 1e-3), "\(fit)")
  #expect(fit.relativeResidual < 1e-8)
}

/// A curve with no floor is fitted with c = 0 when the unconstrained floor would be negative
/// (a curve bending downwards): c is clamped, never below 0.
@Test func learningCurveFitNeverReturnsANegativeFloor() throws {
  let samples = (4...10).map { Double(1 << $0) }
  let errors = samples.map { pow($0, -0.5) - 0.01 }
  let fit = try #require(LearningCurveFit(samples: samples, errors: errors))
  #expect(fit.floor == 0)
  #expect(fit.exponent > 0.5)
}

/// Bootstrap over draws: 20 noisy curves around 3·P^−1 (each point multiplied by a lognormal
/// factor of 10 % spread, independent per draw and point). The 95 % interval of β contains
/// the true exponent 1 and is narrow (width < 0.2: the mean of 20 draws has ≈ 2 % noise per
/// point over 2.7 decades). Seeded, so it cannot flake; a wrong resampling (fitting one draw,
/// or not resampling) would give an interval that misses or collapses.
@Test func bootstrapIntervalOfTheExponentCoversTheTruth() throws {
  let samples = (4...13).map { Double(1 << $0) }
  var random = SplittableRandom(seed: 11)
  let curves = (0..<20).map { _ in
    samples.map { 3 * pow($0, -1) * exp(0.1 * random.nextNormal()) }
  }
  let result = try #require(
    LearningCurveFit.bootstrap(curves: curves, samples: samples, resamples: 500, seed: 3))
  #expect(result.exponent.lower < 1 && 1 < result.exponent.upper, "\(result.exponent)")
  #expect(result.exponent.upper - result.exponent.lower < 0.2, "\(result.exponent)")
  #expect(result.exponent.upper - result.exponent.lower > 0.001, "\(result.exponent)")
  #expect(result.resamples == 500)
}

/// Fewer than three usable points: no fit.
@Test func learningCurveFitNeedsThreePoints() {
  #expect(LearningCurveFit(samples: [16, 32, 64], errors: [0.1, .nan, 0.02]) == nil)
  #expect(LearningCurveFit(samples: [16, 32], errors: [0.1, 0.05]) == nil)
}

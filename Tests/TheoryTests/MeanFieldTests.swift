import CritTestSupport
import Foundation
import NN
import Testing
import Theory

/// Gauss–Hermite moments: `E[z^{2k}] = (2k − 1)!!` exactly for degrees below 2n, odd moments 0.
@Test func quadratureIntegratesGaussianMoments() {
  let rule = GaussianQuadrature(points: 20)
  #expect(isApproximatelyEqual(rule.expectation { _ in 1 }, 1, relative: 1e-13))
  #expect(abs(rule.expectation { $0 * $0 * $0 }) < 1e-13)
  let expected: [Double] = [1, 3, 15, 105, 945, 10395]
  for (k, value) in expected.enumerated() {
    let degree = 2 * (k + 1)
    var power = 1.0
    let moment = rule.expectation { z in
      power = 1
      for _ in 0..<degree { power *= z }
      return power
    }
    #expect(isApproximatelyEqual(moment, value, relative: 1e-11), "E[z^\(degree)]")
  }
  // E[cos z] = e^{−1/2}: a smooth non-polynomial integrand converges to machine precision.
  #expect(
    isApproximatelyEqual(
      GaussianQuadrature.standard.expectation { cos($0) }, 0.6065306597126334,
      relative: 1e-13))
}

/// ReLU: χ₁ = σ_w²/2 whatever σ_b, so the critical σ_w² is 2 (to 10⁻⁹).
@Test(arguments: [0.0, 0.05, 0.3, 1.0])
func reluChi1IsHalfTheWeightVariance(biasVariance: Double) {
  for w in [0.5, 1.0, 1.7] {
    let field = MeanField(activation: .relu, weightVariance: w, biasVariance: biasVariance)
    #expect(isApproximatelyEqual(field.chi1(), w / 2, relative: 1e-12))
  }
  #expect(
    isApproximatelyEqual(
      criticalWeightVariance(activation: .relu, biasVariance: biasVariance), 2, relative: 1e-9))
}

/// tanh's critical line (the values the literature reports, e.g. Schoenholz et al. 2017 Fig. 1;
/// also reproduced by an independent NumPy `hermegauss` computation), to 10⁻⁶.
@Test(arguments: [
  (0.0, 1.0), (0.01, 1.4242053), (0.05, 1.7609546), (0.1, 1.9860726), (0.3, 2.5051272),
])
func tanhCriticalLine(biasVariance: Double, expected: Double) {
  let critical = criticalWeightVariance(activation: .tanh, biasVariance: biasVariance)
  #expect(abs(critical - expected) < 1e-6, "σ_b² = \(biasVariance): \(critical)")
}

/// tanh fixed points: q*(σ_w² = 1.5, σ_b² = 0.05) = 0.4180372 and q*(2, 0) = 0.6179648 (the
/// positive fixed point; 0 is unstable there); q*(0.8, 0) = 0 (ordered, the length dies out).
@Test func tanhFixedPointLength() {
  let a = MeanField(activation: .tanh, weightVariance: 1.5, biasVariance: 0.05).fixedPointLength
  let b = MeanField(activation: .tanh, weightVariance: 2, biasVariance: 0).fixedPointLength
  #expect(abs(a - 0.4180372) < 1e-7, "\(a)")
  #expect(abs(b - 0.6179648) < 1e-7, "\(b)")
  #expect(MeanField(activation: .tanh, weightVariance: 0.8, biasVariance: 0).fixedPointLength == 0)
  // q* is a fixed point of the length map.
  let field = MeanField(activation: .tanh, weightVariance: 1.5, biasVariance: 0.05)
  #expect(isApproximatelyEqual(field.lengthMap(a), a, relative: 1e-12))
}

/// The correlation map: c = 1 is always fixed; in the ordered phase (χ₁ < 1) c* = 1 and
/// ξ_c = −1/ln χ₁; in the chaotic phase c* < 1. The ReLU closed form (arc-cosine kernel)
/// agrees with an independent adaptive quadrature (Gauss–Hermite converges slowly at the kink,
/// which is why the closed form is used).
@Test func correlationMapAndDepthScales() {
  let ordered = MeanField(activation: .tanh, weightVariance: 1.2, biasVariance: 0.1)
  #expect(isApproximatelyEqual(ordered.correlationMap(1), 1, relative: 1e-10))
  #expect(ordered.chi1() < 1)
  #expect(abs(ordered.fixedPointCorrelation - 1) < 1e-6)
  #expect(
    isApproximatelyEqual(
      ordered.depthScales.correlation, -1 / log(ordered.chi1()), relative: 1e-6))
  let chaotic = MeanField(activation: .tanh, weightVariance: 4, biasVariance: 0.05)
  #expect(chaotic.chi1() > 1)
  let c = chaotic.fixedPointCorrelation
  #expect(c < 0.9 && c > 0)
  #expect(isApproximatelyEqual(chaotic.correlationMap(c), c, relative: 1e-9))
  #expect(chaotic.depthScales.correlation.isFinite)
  // ReLU's closed form (the arc-cosine kernel) against SciPy's adaptive quadrature of the
  // same integral, E[relu(u₁)relu(u₂)] at q = 0.7, c = 0.3:
  // `scipy.integrate.quad(lambda z1: relu(√q z1)·E_z2[relu(√q(c z1 + √(1−c²) z2))]·φ(z1), 0, ∞)`
  // with the inner expectation in closed form → 0.16896049934242072.
  let relu = MeanField(activation: .relu, weightVariance: 2, biasVariance: 0.1)
  #expect(
    isApproximatelyEqual(
      relu.correlationMap(0.3, q: 0.7), (2 * 0.16896049934242072 + 0.1) / 0.7, relative: 1e-12))
}

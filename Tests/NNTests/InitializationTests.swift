import CritTestSupport
import NN
import Tensors
import Testing

/// Sample variance of a layer's weights against the scheme's variance. With n = 400·300 =
/// 120 000 Gaussian entries the sample variance has relative standard error √(2/n) ≈ 0.4 %;
/// the tolerance is 2 % (five standard errors).
@Test(arguments: [
  (Initialization.gaussian, 1.7 * 1.7 / 300.0), (.he, 2.0 / 300.0), (.xavier, 2.0 / 700.0),
])
func weightVariance(scheme: Initialization, expected: Double) {
  var rng = SplittableRandom(seed: 1)
  let (w, _): (Tensor<Double>, Tensor<Double>) = scheme.sample(
    fanIn: 300, fanOut: 400, sigmaW: 1.7, sigmaB: 0, using: &rng)
  let variance = w.squaredNorm / Double(w.count) - w.mean() * w.mean()
  #expect(isApproximatelyEqual(variance, expected, relative: 0.02))
}

/// Orthogonal initialisation: W Wᵀ = σ_w² I (rows orthonormal up to the gain) to rounding.
@Test func orthogonalRowsAreOrthonormal() {
  var rng = SplittableRandom(seed: 2)
  let (w, _): (Tensor<Double>, Tensor<Double>) = Initialization.orthogonal.sample(
    fanIn: 50, fanOut: 30, sigmaW: 1.3, sigmaB: 0, using: &rng)
  let gram = matmul(w, w, transposeB: true)
  var identity = Tensor<Double>.zeros([30, 30])
  for i in 0..<30 { identity[i, i] = 1.3 * 1.3 }
  #expect(maxAbsoluteDifference(gram, identity) < 1e-12)
}

/// Gaussian biases: N(0, σ_b²), sample variance within 5 standard errors (n = 20 000).
@Test func gaussianBiasVariance() {
  var rng = SplittableRandom(seed: 3)
  let (_, b): (Tensor<Double>, Tensor<Double>) = Initialization.gaussian.sample(
    fanIn: 2, fanOut: 20_000, sigmaW: 1, sigmaB: 0.5, using: &rng)
  let variance = b.squaredNorm / Double(b.count)
  #expect(isApproximatelyEqual(variance, 0.25, relative: 5 * (2.0 / 20_000).squareRoot()))
}

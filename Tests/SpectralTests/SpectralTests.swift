import CritTestSupport
import RealModule
import Spectral
import Tensors
import Testing

/// `U·diag(s)·Vᵀ` with Haar-random orthogonal factors (polar factors of Gaussian matrices).
func matrix(rows: Int, columns: Int, singularValues s: [Double], seed: UInt64) throws -> Tensor<
  Double
> {
  var rng = SplittableRandom(seed: seed)
  let k = min(rows, columns)
  let u = try singularValueDecomposition(Tensor<Double>.randomNormal([rows, k], using: &rng))
  let v = try singularValueDecomposition(Tensor<Double>.randomNormal([columns, k], using: &rng))
  let qu = matmul(u.u, u.vt)
  let qv = matmul(v.u, v.vt)
  var sigma = Tensor<Double>.zeros([k, k])
  for i in 0..<k { sigma[i, i] = s[i] }
  return matmul(matmul(qu, sigma), qv, transposeB: true)
}

/// Power iteration against LAPACK's σ_max within 1e-4 relative (the bound).
@Test(arguments: [[64, 64], [512, 256], [256, 512]])
func powerIterationMatchesLAPACKOnGaussianMatrices(shape: [Int]) throws {
  var rng = SplittableRandom(seed: UInt64(shape[0] + shape[1]))
  let w = Tensor<Float>.randomNormal(
    shape, standardDeviation: 1 / Double(shape[1]).squareRoot(), using: &rng)
  var iteration = PowerIteration()
  let estimate = iteration.estimate(w).sigma
  let exact = try exactSigmaMax(w)
  #expect(abs(estimate - exact) / exact < 1e-4, "power \(estimate) vs LAPACK \(exact)")
}

/// Ill-conditioned matrices (condition numbers 10⁸ and 10¹²) and a small spectral gap
/// (σ₂/σ₁ = 0.99).
@Test(arguments: [1e-8, 1e-12])
func powerIterationOnIllConditionedMatrices(smallest: Double) throws {
  let n = 80
  let s = (0..<n).map { Double.pow(smallest, Double($0) / Double(n - 1)) }
  let w = try matrix(rows: n, columns: n, singularValues: s, seed: 3)
  var iteration = PowerIteration()
  let estimate = iteration.estimate(w).sigma
  #expect(abs(estimate - 1) < 1e-4)
  var gap = (0..<n).map { 0.5 * Double.pow(0.9, Double($0)) }
  gap[0] = 1
  gap[1] = 0.99
  let close = try matrix(rows: n, columns: 40, singularValues: gap, seed: 4)
  var second = PowerIteration()
  #expect(abs(second.estimate(close).sigma - 1) < 1e-4)
}

/// A warm start on an unchanged matrix needs at most two iterations (one to confirm).
@Test func warmStartConvergesImmediately() {
  var rng = SplittableRandom(seed: 5)
  let w = Tensor<Double>.randomNormal([64, 64], using: &rng)
  var iteration = PowerIteration()
  let cold = iteration.estimate(w).iterations
  let warm = iteration.estimate(w).iterations
  #expect(cold > 5)
  #expect(warm <= 2)
}

@Test func spectrumStatisticsKnownValues() {
  let s = SpectrumStatistics(singularValues: [3, 4])
  #expect(s.sigmaMax == 4)
  #expect(isApproximatelyEqual(s.stableRank, 25.0 / 16, absolute: 1e-15))
  #expect(isApproximatelyEqual(s.conditionNumber, 4.0 / 3, absolute: 1e-15))
  let p = [4.0 / 7, 3.0 / 7]
  #expect(
    isApproximatelyEqual(
      s.effectiveRank, Double.exp(-p.reduce(0) { $0 + $1 * Double.log($1) }), absolute: 1e-14))
  let flat = SpectrumStatistics(singularValues: Array(repeating: 2, count: 10))
  #expect(isApproximatelyEqual(flat.stableRank, 10, absolute: 1e-12))
  #expect(isApproximatelyEqual(flat.effectiveRank, 10, absolute: 1e-12))
  #expect(abs(flat.rankSizeSlope) < 1e-15)
  // σ_k = 5·k^{−0.7}: the rank–size slope is exactly −0.7.
  let zipf = SpectrumStatistics(singularValues: (1...50).map { 5 * Double.pow(Double($0), -0.7) })
  #expect(isApproximatelyEqual(zipf.rankSizeSlope, -0.7, absolute: 1e-12))
}

@Test func leastSquaresOnAnExactLine() {
  let line = leastSquaresLine(x: [0, 1, 2, 3], y: [1, 3, 5, 7])
  #expect(isApproximatelyEqual(line.slope, 2, absolute: 1e-15))
  #expect(isApproximatelyEqual(line.intercept, 1, absolute: 1e-15))
  #expect(line.slopeStandardError < 1e-15)
  // y = x + (1, −1, −1, 1)·0.5: slope 1, residual sum 1, Sxx = 5, SE = √(1/2/5).
  let noisy = leastSquaresLine(x: [0, 1, 2, 3], y: [0.5, 0.5, 1.5, 3.5])
  #expect(isApproximatelyEqual(noisy.slope, 1, absolute: 1e-15))
  #expect(isApproximatelyEqual(noisy.slopeStandardError, (0.1).squareRoot(), absolute: 1e-15))
}

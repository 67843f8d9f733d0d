import CritTestSupport
import Data
import Foundation
import Indicators
import Tensors
import Testing

func whiteNoise(_ n: Int, seed: UInt64) -> [Double] {
  var rng = SplittableRandom(seed: seed)
  return (0..<n).map { _ in rng.nextNormal() }
}

func cumulative(_ x: [Double]) -> [Double] {
  var total = 0.0
  return x.map {
    total += $0
    return total
  }
}

func fractionalNoise(_ n: Int, hurst: Double, seed: UInt64) -> [Double] {
  var rng = SplittableRandom(seed: seed)
  return FractionalNoise.daviesHarte(count: n, hurst: hurst, using: &rng)
}

/// The FFT against the O(n²) definition `X_k = Σ_j x_j e^{−2πi jk/n}` on random complex data,
/// and inverse ∘ forward = n·identity.
@Test func fourierTransformMatchesTheDefinition() {
  let n = 32
  var rng = SplittableRandom(seed: 4)
  let xr = (0..<n).map { _ in rng.nextNormal() }
  let xi = (0..<n).map { _ in rng.nextNormal() }
  var real = xr
  var imaginary = xi
  FourierTransform.transform(real: &real, imaginary: &imaginary)
  for k in 0..<n {
    var sr = 0.0
    var si = 0.0
    for j in 0..<n {
      let angle = -2 * Double.pi * Double(j * k) / Double(n)
      sr += xr[j] * cos(angle) - xi[j] * sin(angle)
      si += xr[j] * sin(angle) + xi[j] * cos(angle)
    }
    #expect(abs(real[k] - sr) < 1e-12 && abs(imaginary[k] - si) < 1e-12)
  }
  FourierTransform.transform(real: &real, imaginary: &imaginary, inverse: true)
  for j in 0..<n {
    #expect(
      abs(real[j] / Double(n) - xr[j]) < 1e-13 && abs(imaginary[j] / Double(n) - xi[j]) < 1e-13)
  }
}

/// Davies–Harte samples have the fGn autocovariance: lags 0–3 averaged over 64 independent
/// series of 4096 points are within 0.02 of γ(k) (the standard error of each estimate is
/// about 0.005 for H = 0.7, whose correlations decay slowly, and less for H = 0.3).
@Test(arguments: [0.3, 0.7])
func daviesHarteHasTheFractionalNoiseCovariance(hurst: Double) {
  var sums = [Double](repeating: 0, count: 4)
  for replicate in 0..<64 {
    let x = fractionalNoise(4096, hurst: hurst, seed: UInt64(replicate))
    for lag in 0..<4 {
      var s = 0.0
      for i in 0..<(x.count - lag) { s += x[i] * x[i + lag] }
      sums[lag] += s / Double(x.count - lag)
    }
  }
  for lag in 0..<4 {
    let expected = FractionalNoise.autocovariance(lag, hurst: hurst)
    #expect(abs(sums[lag] / 64 - expected) < 0.02, "H = \(hurst), lag \(lag)")
  }
}

/// DFA on 2¹⁴ points: white noise 0.50 ± 0.05, a random walk 1.50 ± 0.05, and fractional
/// Gaussian noise (exact, Davies–Harte) with H = 0.3 and 0.7 within 0.07 of H.
@Test func detrendedFluctuationRecoversKnownExponents() throws {
  let n = 1 << 14
  let white = try #require(detrendedFluctuationExponent(whiteNoise(n, seed: 1)))
  #expect(abs(white.exponent - 0.5) < 0.05, "\(white)")
  let walk = try #require(detrendedFluctuationExponent(cumulative(whiteNoise(n, seed: 2))))
  #expect(abs(walk.exponent - 1.5) < 0.05, "\(walk)")
  for hurst in [0.3, 0.7] {
    let fgn = try #require(detrendedFluctuationExponent(fractionalNoise(n, hurst: hurst, seed: 3)))
    #expect(abs(fgn.exponent - hurst) < 0.07, "H = \(hurst): \(fgn)")
  }
}

/// R/S on 2¹⁴ points: white noise reads 0.5–0.65 (its known small-window upward bias), and the
/// estimate orders fGn with H = 0.3 < white < H = 0.7, each within 0.1 of H plus that bias.
@Test func rescaledRangeOrdersHurstExponents() throws {
  let n = 1 << 14
  let white = try #require(rescaledRangeExponent(whiteNoise(n, seed: 5))).exponent
  let low = try #require(rescaledRangeExponent(fractionalNoise(n, hurst: 0.3, seed: 6))).exponent
  let high = try #require(rescaledRangeExponent(fractionalNoise(n, hurst: 0.7, seed: 7))).exponent
  #expect(white > 0.5 && white < 0.65, "\(white)")
  #expect(low < white && white < high, "\(low) \(white) \(high)")
  #expect(abs(high - 0.7) < 0.1, "\(high)")
}

/// Higuchi's dimension: white noise 2.00 ± 0.05, Brownian motion 1.50 ± 0.05, a sampled sine
/// (smooth) 1.00 ± 0.05.
@Test func higuchiDimensionOfKnownCurves() throws {
  let n = 1 << 14
  let white = try #require(higuchiDimension(whiteNoise(n, seed: 8))).exponent
  let brownian = try #require(higuchiDimension(cumulative(whiteNoise(n, seed: 9)))).exponent
  let sine = try #require(higuchiDimension((0..<n).map { sin(Double($0) * 0.01) })).exponent
  #expect(abs(white - 2) < 0.05, "\(white)")
  #expect(abs(brownian - 1.5) < 0.05, "\(brownian)")
  #expect(abs(sine - 1) < 0.05, "\(sine)")
}

/// Power-spectrum slopes: white noise 0 ± 0.15, a random walk −2 ± 0.2 (the Hann window's
/// leakage flattens the steepest spectra a little), fGn H = 0.7 → 1 − 2H = −0.4 ± 0.15 (fGn's
/// spectrum is f^{1−2H} only as f → 0; over the lowest quarter of the frequencies the fitted
/// slope reads about 0.1 flatter: −0.29 on this sample).
@Test func powerSpectrumSlopesOfKnownNoises() throws {
  let n = 1 << 14
  let white = try #require(powerSpectrumSlope(whiteNoise(n, seed: 10))).exponent
  let fgn = try #require(powerSpectrumSlope(fractionalNoise(n, hurst: 0.7, seed: 11))).exponent
  let walk = try #require(powerSpectrumSlope(cumulative(whiteNoise(n, seed: 12)))).exponent
  #expect(abs(white) < 0.15, "\(white)")
  #expect(abs(fgn + 0.4) < 0.15, "\(fgn)")
  #expect(abs(walk + 2) < 0.2, "\(walk)")
}

/// AR(1) with φ = 0.8 has τ_int = (1 + φ)/(1 − φ) = 9; on 10⁵ points the windowed estimate is
/// within 10 % (its relative standard error is about √(2(2M+1)/N)·… ≈ 4 % here).
@Test func autocorrelationTimeOfAnAutoregressiveProcess() throws {
  var rng = SplittableRandom(seed: 13)
  var x = 0.0
  let series = (0..<100_000).map { _ in
    x = 0.8 * x + rng.nextNormal()
    return x
  }
  let tau = try #require(integratedAutocorrelationTime(series))
  #expect(abs(tau - 9) < 0.9, "\(tau)")
  let white = try #require(integratedAutocorrelationTime(whiteNoise(100_000, seed: 14)))
  #expect(abs(white - 1) < 0.1, "\(white)")
}

/// Higuchi on the path of fractional Gaussian noise (fractional Brownian motion): 2 − H within
/// 0.05 for H = 0.3 and 0.7 (SPEC §10: the dimension of a path, not of its increments).
@Test(arguments: [0.3, 0.7])
func higuchiDimensionOfFractionalBrownianPaths(hurst: Double) throws {
  let path = cumulative(fractionalNoise(1 << 14, hurst: hurst, seed: 21))
  let d = try #require(higuchiDimension(path)).exponent
  #expect(abs(d - (2 - hurst)) < 0.05, "H = \(hurst): D = \(d)")
}

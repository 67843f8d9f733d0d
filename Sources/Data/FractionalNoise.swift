import RealModule
import Tensors

/// Exact samples of fractional Gaussian noise (the increments of fractional Brownian motion)
/// with Hurst exponent `H ∈ (0, 1)`: a stationary Gaussian sequence with autocovariance
/// `γ(k) = ½(|k+1|^{2H} − 2|k|^{2H} + |k−1|^{2H})` (unit variance).
///
/// Davies & Harte (1987, *Biometrika* 74:95–101), in the form of Dietrich & Newsam (1997): the
/// covariance is embedded in a circulant matrix of size m = 2n whose eigenvalues λ_k are the
/// FFT of its first row (non-negative for fGn); with Z_k complex standard normals,
/// `Y = FFT(√(λ/m) ∘ Z)` has real and imaginary parts that are two independent exact samples.
public enum FractionalNoise {
  /// `γ(k)` of unit-variance fGn.
  public static func autocovariance(_ k: Int, hurst: Double) -> Double {
    let k = Double(abs(k))
    let h2 = 2 * hurst
    return 0.5 * (Double.pow(k + 1, h2) - 2 * Double.pow(k, h2) + Double.pow(abs(k - 1), h2))
  }

  /// `count` samples (a power of two) of fGn with Hurst exponent `hurst`.
  public static func daviesHarte(
    count n: Int, hurst: Double, using rng: inout some RandomNumberGenerator
  ) -> [Double] {
    precondition(n >= 2 && n & (n - 1) == 0, "count must be a power of two ≥ 2, got \(n)")
    precondition(hurst > 0 && hurst < 1, "the Hurst exponent must be in (0, 1), got \(hurst)")
    let m = 2 * n
    var real = (0..<m).map { j in autocovariance(j <= n ? j : m - j, hurst: hurst) }
    var imaginary = [Double](repeating: 0, count: m)
    FourierTransform.transform(real: &real, imaginary: &imaginary)
    // Eigenvalues are real and, for fGn, non-negative; clamp rounding below zero.
    let scales = real.map { max(0, $0 / Double(m)).squareRoot() }
    var yr = (0..<m).map { scales[$0] * rng.nextNormal() }
    var yi = (0..<m).map { scales[$0] * rng.nextNormal() }
    FourierTransform.transform(real: &yr, imaginary: &yi)
    return Array(yr[0..<n])
  }
}

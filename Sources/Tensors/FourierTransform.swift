import RealModule

/// The discrete Fourier transform of a complex sequence of power-of-two length,
/// `X_k = Σ_j x_j e^{∓2πi jk/n}` (minus sign forward, plus sign inverse, no normalisation), by
/// the iterative radix-2 Cooley–Tukey algorithm in O(n log n).
public enum FourierTransform {
  /// Transforms `real` + i·`imaginary` in place. `inverse` flips the exponent's sign (divide by
  /// n yourself for the inverse transform).
  public static func transform(
    real: inout [Double], imaginary: inout [Double], inverse: Bool = false
  ) {
    let n = real.count
    precondition(n == imaginary.count, "real and imaginary parts differ in length")
    precondition(n > 0 && n & (n - 1) == 0, "FFT length must be a power of two, got \(n)")
    // Bit-reversal permutation.
    var j = 0
    for i in 1..<max(n, 1) {
      var bit = n >> 1
      while j & bit != 0 {
        j ^= bit
        bit >>= 1
      }
      j |= bit
      if i < j {
        real.swapAt(i, j)
        imaginary.swapAt(i, j)
      }
    }
    var length = 2
    while length <= n {
      let angle = (inverse ? 2 : -2) * Double.pi / Double(length)
      let (stepCos, stepSin) = (Double.cos(angle), Double.sin(angle))
      var start = 0
      while start < n {
        var (wr, wi) = (1.0, 0.0)
        for k in 0..<(length / 2) {
          let a = start + k
          let b = a + length / 2
          let tr = real[b] * wr - imaginary[b] * wi
          let ti = real[b] * wi + imaginary[b] * wr
          real[b] = real[a] - tr
          imaginary[b] = imaginary[a] - ti
          real[a] += tr
          imaginary[a] += ti
          (wr, wi) = (wr * stepCos - wi * stepSin, wr * stepSin + wi * stepCos)
        }
        start += length
      }
      length <<= 1
    }
  }
}

import CTrainability
import RealModule

/// Cross-correlations of every column of a matrix with one series,
///
///     r[i, m] = Σ_{t=0}^{n−1} x[t, i] · v[t + m],   m = 0 … lags − 1,
///
/// by the fast Fourier transform: with x padded by zeros to a power of two L ≥ n + lags − 1
/// (so no product wraps around), `r_i = IFFT(conj(X_i) · V) / L` (the correlation theorem).
/// This is the product `xᵀ H` with the Hankel matrix `H[t, m] = v[t + m]` (what a reservoir
/// readout needs for the delayed copies of its input) in O(N · L log L) instead of
/// O(N · n · lags).
///
/// The transform (`crit_lane_fft`, in C) runs down the rows, four columns at a time (one lane
/// each), so every butterfly is a vector operation and one block of columns stays in cache through all
/// log₂ L passes. Two real columns share one complex transform (column c as the real part,
/// column c + P as the imaginary part, P = ⌈N/2⌉); they are separated in the frequency domain
/// by `X_c(f) = (Z(f) + Z̄(L−f))/2`, `X_{c+P}(f) = (Z(f) − Z̄(L−f))/2i`, and since both
/// correlations are real one inverse transform returns both. The twiddle factors are computed
/// directly by cos and sin (no recurrence), so the rounding error grows like ε·log₂ L relative
/// to `‖x_i‖·‖v‖`.
public enum ColumnCrossCorrelation {
  /// `r` as an `(columns, lags)` row-major array, each row in the order m = 0 … lags − 1, or
  /// m = lags − 1 … 0 with `reversingLags`. `x` has `rows × columns` values, row `t` at
  /// `x[t * rowStride ..< t * rowStride + columns]`; `v` has at least `rows + lags − 1` values.
  public static func compute(
    x: UnsafeBufferPointer<Double>, rows n: Int, columns: Int, rowStride: Int,
    v: UnsafeBufferPointer<Double>, lags: Int, reversingLags: Bool = false
  ) -> [Double] {
    precondition(n >= 1 && columns >= 0 && lags >= 1, "need rows ≥ 1 and lags ≥ 1")
    precondition(rowStride >= columns && x.count >= (n - 1) * rowStride + columns, "x too short")
    precondition(v.count >= n + lags - 1, "v needs \(n + lags - 1) values, has \(v.count)")
    var length = 1
    while length < n + lags - 1 { length <<= 1 }
    let plan = Plan(length: length)
    var result = [Double](repeating: 0, count: columns * lags)
    if columns == 0 { return result }

    // V = FFT(v), the same in every lane.
    var vr = [SIMD4<Double>](repeating: .zero, count: length)
    var vi = [SIMD4<Double>](repeating: .zero, count: length)
    for s in 0..<(n + lags - 1) { vr[s] = SIMD4(repeating: v[s]) }
    plan.transform(&vr, &vi, inverse: false)

    let pairs = (columns + 1) / 2
    var zr = [SIMD4<Double>](repeating: .zero, count: length)
    var zi = [SIMD4<Double>](repeating: .zero, count: length)
    for block in stride(from: 0, to: pairs, by: 4) {
      let lanes = min(4, pairs - block)
      // Load: lane j holds column block + j (real) and block + j + P (imaginary); four
      // neighbouring columns are four neighbouring values of a row.
      let partners = max(0, min(4, columns - pairs - block))
      for t in 0..<length {
        var re = SIMD4<Double>.zero
        var im = SIMD4<Double>.zero
        if t < n {
          let row = x.baseAddress! + t * rowStride
          if lanes == 4 {
            re = UnsafeRawPointer(row + block).loadUnaligned(as: SIMD4<Double>.self)
          } else {
            for j in 0..<lanes { re[j] = row[block + j] }
          }
          if partners == 4 {
            im = UnsafeRawPointer(row + block + pairs).loadUnaligned(as: SIMD4<Double>.self)
          } else {
            for j in 0..<partners { im[j] = row[block + pairs + j] }
          }
        }
        zr[t] = re
        zi[t] = im
      }
      plan.transform(&zr, &zi, inverse: false)
      multiplyBySeriesSpectrum(&zr, &zi, vr, vi)
      plan.transform(&zr, &zi, inverse: true)
      let scale = 1 / Double(length)
      result.withUnsafeMutableBufferPointer { out in
        zr.withUnsafeBufferPointer { zr in
          zi.withUnsafeBufferPointer { zi in
            for j in 0..<lanes {
              let c = block + j
              let partner = c + pairs
              for m in 0..<lags {
                let slot = reversingLags ? lags - 1 - m : m
                out[c * lags + slot] = zr[m][j] * scale
                if partner < columns { out[partner * lags + slot] = zi[m][j] * scale }
              }
            }
          }
        }
      }
    }
    return result
  }

  /// Replaces Z (the packed spectrum of two real columns a + ib) by
  /// `conj(A)·V + i·conj(B)·V`, whose inverse transform is `r_a + i·r_b`.
  private static func multiplyBySeriesSpectrum(
    _ zr: inout [SIMD4<Double>], _ zi: inout [SIMD4<Double>], _ vr: [SIMD4<Double>],
    _ vi: [SIMD4<Double>]
  ) {
    let length = zr.count
    zr.withUnsafeMutableBufferPointer { zr in
      zi.withUnsafeMutableBufferPointer { zi in
        vr.withUnsafeBufferPointer { vr in
          vi.withUnsafeBufferPointer { vi in
            for f in 0...(length / 2) {
              let g = (length - f) & (length - 1)
              // Z(f) = a + ib, Z(L−f) = c + id; A = X_a(f), B = X_b(f) and their mirrors.
              let (a, b, c, d) = (zr[f], zi[f], zr[g], zi[g])
              let (ar, ai) = (0.5 * (a + c), 0.5 * (b - d))
              let (br, bi) = (0.5 * (b + d), 0.5 * (c - a))
              // At L − f: A(L−f) = conj A(f), B(L−f) = conj B(f).
              let q = product(ar, ai, br, bi, vr[f], vi[f])
              let p = product(ar, -ai, br, -bi, vr[g], vi[g])
              zr[f] = q.re
              zi[f] = q.im
              zr[g] = p.re
              zi[g] = p.im
            }
          }
        }
      }
    }
  }

  /// `conj(A)·V + i·conj(B)·V` lane by lane.
  @inline(__always)
  private static func product(
    _ ar: SIMD4<Double>, _ ai: SIMD4<Double>, _ br: SIMD4<Double>, _ bi: SIMD4<Double>,
    _ vr: SIMD4<Double>, _ vi: SIMD4<Double>
  ) -> (re: SIMD4<Double>, im: SIMD4<Double>) {
    let (aRe, aIm) = (ar * vr + ai * vi, ar * vi - ai * vr)
    let (bRe, bIm) = (br * vr + bi * vi, br * vi - bi * vr)
    return (aRe - bIm, aIm + bRe)
  }

  /// Twiddle factors and bit-reversal table of one transform length.
  struct Plan {
    let length: Int
    let cosines: [Double]
    let sines: [Double]
    let reversed: [Int]

    init(length: Int) {
      precondition(length > 0 && length & (length - 1) == 0, "length must be a power of two")
      self.length = length
      let half = max(length / 2, 1)
      cosines = (0..<half).map { Double.cos(2 * Double.pi * Double($0) / Double(length)) }
      sines = (0..<half).map { Double.sin(2 * Double.pi * Double($0) / Double(length)) }
      var bits = 0
      while 1 << bits < length { bits += 1 }
      reversed = (0..<length).map { i in
        var (r, value) = (0, i)
        for _ in 0..<bits {
          r = (r << 1) | (value & 1)
          value >>= 1
        }
        return r
      }
    }

    /// In-place transform `Σ_t z_t e^{∓2πi ft/L}` (minus sign forward), unnormalised, of the
    /// four lanes (`crit_lane_fft`: radix-2 decimation in time, stages two at a time, AVX2 where
    /// the processor has it).
    func transform(_ real: inout [SIMD4<Double>], _ imaginary: inout [SIMD4<Double>], inverse: Bool)
    {
      precondition(real.count == length && imaginary.count == length)
      real.withUnsafeMutableBytes { re in
        imaginary.withUnsafeMutableBytes { im in
          crit_lane_fft(
            re.baseAddress!.assumingMemoryBound(to: Double.self),
            im.baseAddress!.assumingMemoryBound(to: Double.self), length, cosines, sines, reversed,
            inverse ? 1 : 0)
        }
      }
    }
  }
}

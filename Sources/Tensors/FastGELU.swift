/// GELU and its derivative for single precision in a loop the compiler vectorises: no libm
/// calls, only arithmetic, a rounding and an exponent built from bits.
///
/// Φ(x) = ½ erfc(−x/√2) with erfc from the Chebyshev fit of Numerical Recipes (Press et al.,
/// *Numerical Recipes*, 2nd ed., §6.2, `erfcc`): for z ≥ 0, t = 1/(1 + z/2),
/// erfc(z) = t·exp(−z² + P(t)) with a degree-9 polynomial P, fractional error below 1.2·10⁻⁷
/// everywhere (so Φ keeps its relative accuracy far into the tail), and erfc(−z) = 2 − erfc(z).
/// φ(x) = exp(−x²/2)/√(2π). The exponential: n = round(x·log₂e), r = x − n·ln 2 in two parts
/// (Cody & Waite), eʳ by the degree-6 Taylor polynomial (|r| ≤ ½ln 2: truncation below
/// 2.4·10⁻⁸), times 2ⁿ assembled in the exponent bits; arguments are clamped to [−87, 0]
/// (e⁻⁸⁷ ≈ 1.6·10⁻³⁸, the smallest normal float's order), where the results are below what
/// GELU's value and slope can resolve. Tested against the double-precision erf.
public enum FastGELU {
  /// eˣ for x ≤ 0 (clamped to [−87, 0]).
  @inlinable @inline(__always)
  public static func expNonPositive(_ x: Float) -> Float {
    let clamped = min(max(x, -87), 0)
    // Rounding to the nearest integer without a libm call: adding 1.5·2²³ leaves the integer
    // n = round(x·log₂e) in the low mantissa bits of `shifted`.
    let shifted = clamped * 1.442_695_04 + 12_582_912
    let n = shifted - 12_582_912
    let r = (clamped - n * 0.693_359_375) + n * 2.121_944_4e-4
    var p: Float = 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2ⁿ: the integer n + 127 moved from the low mantissa bits into the exponent; the
    // offset's bits shift out of the word.
    let scale = Float(bitPattern: (shifted.bitPattern &+ 127) &<< 23)
    return p * scale
  }

  /// GELU values x·Φ(x) and slopes Φ(x) + x·φ(x) of `xs`.
  @inlinable
  public static func evaluate(
    _ xs: UnsafeBufferPointer<Float>, values: UnsafeMutableBufferPointer<Float>,
    slopes: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(values.count >= xs.count && slopes.count >= xs.count)
    for i in xs.indices {
      let (value, slope) = pair(xs[i])
      values[i] = value
      slopes[i] = slope
    }
  }

  /// (x·Φ(x), Φ(x) + x·φ(x)) for one x.
  @inlinable @inline(__always)
  public static func pair(_ x: Float) -> (Float, Float) {
    // Beyond ±20, Φ is 0 or 1 and φ below 10⁻⁸⁸ in single precision; clamping keeps ±∞ from
    // turning x·φ(x) into ∞ or NaN (NaN itself passes through the value and the slope).
    let xc = min(max(x, -20), 20)
    let z = abs(xc) * 0.707_106_77
    let t = 1 / (1 + 0.5 * z)
    var p: Float = 0.170_872_77
    p = p * t - 0.822_152_23
    p = p * t + 1.488_515_87
    p = p * t - 1.135_203_98
    p = p * t + 0.278_868_07
    p = p * t - 0.186_288_06
    p = p * t + 0.096_784_18
    p = p * t + 0.374_091_96
    p = p * t + 1.000_023_68
    p = p * t - 1.265_512_23
    let gaussian = expNonPositive(-z * z)
    let tail = 0.5 * t * expNonPositive(-z * z + p)  // ½ erfc(z) = Φ(−|x|)
    let phi = x >= 0 ? 1 - tail : tail
    let value = x < -20 ? 0 : x * phi
    let slope = x.isNaN ? x : phi + xc * 0.398_942_28 * gaussian
    return (value, slope)
  }
}

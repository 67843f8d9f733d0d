import Foundation
import Tensors
import Testing

/// The vectorised single-precision GELU against the exact formulas in double precision
/// (Foundation's erf and exp) on a fine grid over [−12, 12] and at the clamping edges. The
/// bounds: Φ to 4·10⁻⁷·(1 + x²) relative in the tail (the Chebyshev fit's 1.2·10⁻⁷, the
/// exponential's few ulp, and the rounding of z² = x²/2 in single precision, whose absolute
/// error ~6·10⁻⁸·x² becomes a relative error of e^{−z²}), the GELU value and slope to 4·10⁻⁷ of
/// max(1, |x|) absolute — errors a float computation cannot avoid, far below what a change
/// in the formula would cause (e.g. the tanh approximation of GELU differs by 10⁻³).
@Suite struct FastGELUTests {
  func exact(_ x: Double) -> (value: Double, slope: Double, phi: Double) {
    let phi = 0.5 * Foundation.erfc(-x / 2.0.squareRoot())
    return (x * phi, phi + x * Foundation.exp(-x * x / 2) / (2 * Double.pi).squareRoot(), phi)
  }

  @Test func matchesTheExactFormulas() {
    var worstValue = 0.0
    var worstSlope = 0.0
    var worstPhi = 0.0
    for k in -120_000...120_000 {
      let x = Float(Double(k) / 10_000)
      let (value, slope) = FastGELU.pair(x)
      let e = exact(Double(x))
      let scale = max(1, abs(Double(x)))
      worstValue = max(worstValue, abs(Double(value) - e.value) / scale)
      worstSlope = max(worstSlope, abs(Double(slope) - e.slope) / scale)
      if x < 0 && x > -9 {  // Φ(x) = value/x, compared relatively where it is a normal float
        let relative = abs(Double(value) / Double(x) - e.phi) / e.phi
        worstPhi = max(worstPhi, relative / (1 + Double(x * x)))
      }
    }
    #expect(worstValue < 4e-7, "value \(worstValue)")
    #expect(worstSlope < 4e-7, "slope \(worstSlope)")
    #expect(worstPhi < 4e-7, "Φ relative error / (1 + x²): \(worstPhi)")
  }

  /// eˣ on [−87, 0] to a few ulp, and clamped beyond.
  @Test func exponential() {
    var worst = 0.0
    for k in 0...870_000 {
      let x = -Float(k) / 10_000
      let relative = abs(Double(FastGELU.expNonPositive(x)) / Foundation.exp(Double(x)) - 1)
      worst = max(worst, relative)
    }
    #expect(worst < 3e-7, "\(worst)")
    #expect(FastGELU.expNonPositive(-1000) == FastGELU.expNonPositive(-87))
    #expect(FastGELU.expNonPositive(5) == 1)
  }

  @Test func bufferFormEqualsThePairs() {
    let xs: [Float] = (0..<37).map { Float($0) / 3 - 6 }
    var values = [Float](repeating: 0, count: xs.count)
    var slopes = values
    xs.withUnsafeBufferPointer { x in
      values.withUnsafeMutableBufferPointer { v in
        slopes.withUnsafeMutableBufferPointer { s in FastGELU.evaluate(x, values: v, slopes: s) }
      }
    }
    for (i, x) in xs.enumerated() {
      #expect(values[i] == FastGELU.pair(x).0 && slopes[i] == FastGELU.pair(x).1)
    }
  }
}

/// Infinities give GELU's limits (value 0 or x, slope 1 or 0 — below 10⁻³⁰ on the negative
/// side, where the clamped exponentials leave a residue far below any gradient), and NaN stays
/// NaN.
@Test func fastGELUAtTheExtremes() {
  let (valueUp, slopeUp) = FastGELU.pair(.infinity)
  let (valueDown, slopeDown) = FastGELU.pair(-.infinity)
  #expect(valueUp == .infinity && slopeUp == 1)
  #expect(valueDown == 0 && abs(slopeDown) < 1e-30)
  let (valueNaN, slopeNaN) = FastGELU.pair(.nan)
  #expect(valueNaN.isNaN && slopeNaN.isNaN)
  let (value30, slope30) = FastGELU.pair(30)
  #expect(value30 == 30 && slope30 == 1)
}

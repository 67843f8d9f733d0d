import Foundation
import Spectral

/// Higuchi's fractal dimension of a curve (Higuchi 1988, *Physica D* 31:277): for lags
/// k = 1…k_max and offsets m = 0…k−1 the normalised length
/// `L_m(k) = [Σ_i |x_{m+ik} − x_{m+(i−1)k}|]·(N − 1)/(⌊(N−1−m)/k⌋·k) / k`; `L(k)` is their mean and
/// `L(k) ∝ k^{−D}`. It is defined for a path: give it the cumulative sum of a noise series, not
/// the noise (whose sample path reads D ≈ 2). Brownian motion gives 1.5, fractional Brownian
/// motion 2 − H, a smooth curve 1.
public func higuchiDimension(_ series: [Double], maximumLag: Int = 16) -> ScalingExponent? {
  let n = series.count
  guard maximumLag >= 2, n > 4 * maximumLag else { return nil }
  var xs: [Double] = []
  var ys: [Double] = []
  for k in 1...maximumLag {
    var total = 0.0
    var offsets = 0
    for m in 0..<k {
      let steps = (n - 1 - m) / k
      guard steps >= 1 else { continue }
      var length = 0.0
      for i in 1...steps { length += abs(series[m + i * k] - series[m + (i - 1) * k]) }
      total += length * Double(n - 1) / (Double(steps * k) * Double(k))
      offsets += 1
    }
    guard offsets > 0, total > 0 else { continue }
    xs.append(log(Double(k)))
    ys.append(log(total / Double(offsets)))
  }
  guard xs.count >= 3 else { return nil }
  let line = leastSquaresLine(x: xs, y: ys)
  return ScalingExponent(
    exponent: -line.slope, standardError: line.slopeStandardError, scales: Array(1...maximumLag))
}

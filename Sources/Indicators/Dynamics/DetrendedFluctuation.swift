import Foundation
import Spectral

/// Detrended fluctuation analysis, DFA-1 (Peng et al. 1994, *Phys. Rev. E* 49:1685): the
/// profile `Y(k) = Σ_{i≤k} (x_i − x̄)` is cut into windows of `n` points (from the start and,
/// again, from the end, so no point is left out), a least-squares line is removed in each, and
/// `F(n)` is the root-mean-square residual over all windows. `F(n) ∝ n^α`; α is the slope of
/// log F on log n over window sizes from `minimumScale` to N/4 (log-spaced).
///
/// α ≈ 0.5 for white noise, 1.5 for a random walk (its increments are white), and α = H for
/// fractional Gaussian noise of Hurst exponent H.
public func detrendedFluctuationExponent(
  _ series: [Double], minimumScale: Int = 8, scaleCount: Int = 20
) -> ScalingExponent? {
  let n = series.count
  guard n >= 4 * minimumScale, minimumScale >= 4 else { return nil }
  let mean = series.reduce(0, +) / Double(n)
  var profile = [Double](repeating: 0, count: n)
  var running = 0.0
  for i in 0..<n {
    running += series[i] - mean
    profile[i] = running
  }
  let scales = logSpacedScales(from: minimumScale, to: n / 4, count: scaleCount)
  var logScales: [Double] = []
  var logFluctuations: [Double] = []
  for s in scales {
    let windows = n / s
    var squares = 0.0
    var count = 0
    for direction in 0..<2 {
      for w in 0..<windows {
        let start = direction == 0 ? w * s : n - (w + 1) * s
        squares += detrendedSquares(profile, start: start, length: s)
        count += s
      }
    }
    let fluctuation = (squares / Double(count)).squareRoot()
    guard fluctuation > 0 else { continue }
    logScales.append(log(Double(s)))
    logFluctuations.append(log(fluctuation))
  }
  guard logScales.count >= 3 else { return nil }
  let line = leastSquaresLine(x: logScales, y: logFluctuations)
  return ScalingExponent(
    exponent: line.slope, standardError: line.slopeStandardError, scales: scales)
}

/// Sum of squared residuals of a least-squares line through `y[start..<start+length]` against
/// the index.
func detrendedSquares(_ y: [Double], start: Int, length: Int) -> Double {
  let m = Double(length)
  let meanX = (m - 1) / 2
  var meanY = 0.0
  for i in 0..<length { meanY += y[start + i] }
  meanY /= m
  var sxy = 0.0
  var sxx = 0.0
  for i in 0..<length {
    let dx = Double(i) - meanX
    sxy += dx * (y[start + i] - meanY)
    sxx += dx * dx
  }
  let slope = sxx > 0 ? sxy / sxx : 0
  var residual = 0.0
  for i in 0..<length {
    let r = y[start + i] - meanY - slope * (Double(i) - meanX)
    residual += r * r
  }
  return residual
}

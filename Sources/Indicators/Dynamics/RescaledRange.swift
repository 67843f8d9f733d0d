import Foundation
import Spectral

/// The rescaled-range (R/S) Hurst exponent (Hurst 1951; Mandelbrot & Wallis 1969): for window
/// sizes n, each window's cumulative deviation from its mean has range R and the window has
/// standard deviation S; `E[R/S] ∝ n^H`, H the slope of log mean(R/S) on log n over windows from
/// `minimumScale` to N/4. R/S is biased upward for short windows (Anis & Lloyd 1976: white
/// noise reads ≈ 0.55 at these sizes); DFA is the less biased estimator.
public func rescaledRangeExponent(
  _ series: [Double], minimumScale: Int = 16, scaleCount: Int = 16
) -> ScalingExponent? {
  rescaledRangeFit(series, minimumScale: minimumScale, scaleCount: scaleCount)?.exponent
}

/// ``rescaledRangeExponent(_:minimumScale:scaleCount:)`` with what it was fitted to: the mean
/// R/S at each of the exponent's scales (`nil` where every window had S = 0) and the fitted
/// line's intercept (of ln R/S on ln n).
public func rescaledRangeFit(
  _ series: [Double], minimumScale: Int = 16, scaleCount: Int = 16
) -> (exponent: ScalingExponent, intercept: Double, ranges: [Double?])? {
  let n = series.count
  guard n >= 4 * minimumScale, minimumScale >= 4 else { return nil }
  let scales = logSpacedScales(from: minimumScale, to: n / 4, count: scaleCount)
  let ranges = rescaledRanges(series, scales: scales)
  var xs: [Double] = []
  var ys: [Double] = []
  for (s, value) in zip(scales, ranges) {
    guard let value else { continue }
    xs.append(log(Double(s)))
    ys.append(log(value))
  }
  guard xs.count >= 3 else { return nil }
  let line = leastSquaresLine(x: xs, y: ys)
  return (
    ScalingExponent(exponent: line.slope, standardError: line.slopeStandardError, scales: scales),
    line.intercept, ranges
  )
}

/// The mean `R/S` over the ⌊N/n⌋ windows of n points from the start of the series, for each
/// window size n in `scales` (each at least 2 and at most the series' length): R the range of
/// the window's cumulative deviation from its mean (starting from 0), S its standard
/// deviation with divisor n; windows with S = 0 are left out, and a size whose windows all
/// have S = 0 gives `nil` (``rescaledRangeExponent(_:minimumScale:scaleCount:)``).
public func rescaledRanges(_ series: [Double], scales: [Int]) -> [Double?] {
  let n = series.count
  return scales.map { s in
    precondition(s >= 2 && s <= n, "window size \(s) for a series of \(n)")
    var total = 0.0
    var windows = 0
    for w in 0..<(n / s) {
      let chunk = series[(w * s)..<((w + 1) * s)]
      let mean = chunk.reduce(0, +) / Double(s)
      var running = 0.0
      var low = 0.0
      var high = 0.0
      var squares = 0.0
      for x in chunk {
        running += x - mean
        low = min(low, running)
        high = max(high, running)
        squares += (x - mean) * (x - mean)
      }
      let deviation = (squares / Double(s)).squareRoot()
      guard deviation > 0 else { continue }
      total += (high - low) / deviation
      windows += 1
    }
    return windows > 0 ? total / Double(windows) : nil
  }
}

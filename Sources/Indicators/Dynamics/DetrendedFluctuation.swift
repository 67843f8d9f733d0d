import Foundation
import Spectral

/// How detrended fluctuation analysis cuts the profile into windows of `n` points.
public enum FluctuationWindows: String, Codable, Sendable, CaseIterable {
  /// ⌊N/n⌋ windows from the start and ⌊N/n⌋ again from the end, so no point is left out
  /// (Peng et al. 1994; Kantelhardt et al. 2001): the default.
  case bothEnds = "both"
  /// ⌊N/n⌋ windows from the start only; the remainder at the end is left out (nolds'
  /// `dfa(overlap=False)`).
  case fromStart = "start"
  /// Windows of n starting every ⌊n/2⌋ points while a whole window fits before the last point
  /// (nolds' default, `dfa(overlap=True)`).
  case halfOverlapping = "overlap"
}

/// Detrended fluctuation analysis, DFA-1 (Peng et al. 1994, *Phys. Rev. E* 49:1685): the
/// profile `Y(k) = Σ_{i≤k} (x_i − x̄)` is cut into windows of `n` points (``FluctuationWindows``;
/// by default from the start and, again, from the end, so no point is left out), a
/// least-squares line is removed in each, and `F(n)` is the root-mean-square residual over all
/// windows. `F(n) ∝ n^α`; α is the slope of log F on log n over window sizes from
/// `minimumScale` to N/4 (log-spaced).
///
/// α ≈ 0.5 for white noise, 1.5 for a random walk (its increments are white), and α = H for
/// fractional Gaussian noise of Hurst exponent H.
public func detrendedFluctuationExponent(
  _ series: [Double], minimumScale: Int = 8, scaleCount: Int = 20,
  windows: FluctuationWindows = .bothEnds
) -> ScalingExponent? {
  detrendedFluctuationFit(
    series, minimumScale: minimumScale, scaleCount: scaleCount, windows: windows)?.exponent
}

/// ``detrendedFluctuationExponent(_:minimumScale:scaleCount:windows:)`` with what it was fitted
/// to: `F(n)` at each of the exponent's scales and the fitted line's intercept (of ln F on ln n).
public func detrendedFluctuationFit(
  _ series: [Double], minimumScale: Int = 8, scaleCount: Int = 20,
  windows: FluctuationWindows = .bothEnds
) -> (exponent: ScalingExponent, intercept: Double, fluctuations: [Double])? {
  let n = series.count
  guard n >= 4 * minimumScale, minimumScale >= 4 else { return nil }
  let scales = logSpacedScales(from: minimumScale, to: n / 4, count: scaleCount)
  let fluctuations = detrendedFluctuations(series, scales: scales, windows: windows)
  var logScales: [Double] = []
  var logFluctuations: [Double] = []
  for (s, fluctuation) in zip(scales, fluctuations) where fluctuation > 0 {
    logScales.append(log(Double(s)))
    logFluctuations.append(log(fluctuation))
  }
  guard logScales.count >= 3 else { return nil }
  let line = leastSquaresLine(x: logScales, y: logFluctuations)
  return (
    ScalingExponent(exponent: line.slope, standardError: line.slopeStandardError, scales: scales),
    line.intercept, fluctuations
  )
}

/// `F(n)` of detrended fluctuation analysis for each window size in `scales` (each at least 2
/// and below the series' length): the root-mean-square residual of the profile around a
/// least-squares line in every window, over all windows
/// (``detrendedFluctuationExponent(_:minimumScale:scaleCount:windows:)``).
public func detrendedFluctuations(
  _ series: [Double], scales: [Int], windows: FluctuationWindows = .bothEnds
) -> [Double] {
  let n = series.count
  let mean = series.reduce(0, +) / Double(n)
  var profile = [Double](repeating: 0, count: n)
  var running = 0.0
  for i in 0..<n {
    running += series[i] - mean
    profile[i] = running
  }
  return scales.map { s in
    precondition(s >= 2 && s < n, "window size \(s) for a series of \(n)")
    let starts: [Int]
    switch windows {
    case .bothEnds: starts = (0..<(n / s)).map { $0 * s } + (0..<(n / s)).map { n - ($0 + 1) * s }
    case .fromStart: starts = (0..<(n / s)).map { $0 * s }
    case .halfOverlapping: starts = Array(stride(from: 0, to: n - s, by: max(s / 2, 1)))
    }
    var squares = 0.0
    for start in starts { squares += detrendedSquares(profile, start: start, length: s) }
    return (squares / Double(starts.count * s)).squareRoot()
  }
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

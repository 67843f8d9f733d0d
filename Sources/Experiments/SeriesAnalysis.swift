import Foundation
import Indicators
import Statistics

/// Settings of ``analyzeSeries(_:options:)``: the estimators' own defaults unless changed.
public struct SeriesOptions: Codable, Sendable, Equatable {
  /// Smallest DFA window and the number of log-spaced window sizes up to N/4.
  public var dfaMinimumScale = 8
  public var dfaScaleCount = 20
  public var dfaWindows = FluctuationWindows.bothEnds
  /// Smallest R/S window and the number of log-spaced window sizes up to N/4.
  public var rescaledRangeMinimumScale = 16
  public var rescaledRangeScaleCount = 16
  /// Largest Higuchi lag, and whether Higuchi's dimension is taken of the series as a curve or
  /// of its path (the cumulative sum of its deviations from the mean).
  public var higuchiMaximumLag = 16
  public var higuchiOnPath = true
  /// Lowest fraction of frequencies the spectrum slope is fitted on.
  public var spectrumFraction = 0.25
  /// Sokal's window constant c of τ_int.
  public var autocorrelationWindow = 5.0
  /// The power-law fit of the positive values' tail: the Kolmogorov–Smirnov distance it
  /// minimises and the fewest values a candidate tail may hold.
  public var tailDistance = PowerLawFit.Distance.twoSided
  public var minimumTail = 10
  /// Candidates of x_min whose α is not below this are passed over (unless all are).
  public var tailMaximumAlpha: Double? = nil

  public init() {}

  /// The settings under which the `powerlaw` package (2.0, `Fit(data, discrete=False)`) picks
  /// the same x_min: the lower-step distance, every distinct value but the largest a
  /// candidate, and its default exponent range α ∈ (0, 3).
  public mutating func matchPowerlawPackage() {
    tailDistance = .lowerStep
    minimumTail = 2
    tailMaximumAlpha = 3
  }
}

/// A scaling fit and the points it was fitted to: `values[i]` at `scales[i]` (F(n) for DFA,
/// mean R/S for the rescaled range), `nil` where a scale gave no value.
public struct ScalingCurve: Codable, Sendable, Equatable {
  public var exponent: Double
  public var standardError: Double
  public var intercept: Double
  public var scales: [Int]
  public var values: [Double?]
}

/// The power-law fit of a series' tail and its comparison with a lognormal
/// (``PowerLawFit``, ``PowerLawFit/compareWithLognormal()``).
public struct SeriesTailFit: Codable, Sendable, Equatable {
  public var alpha: Double
  public var standardError: Double
  public var xMin: Double
  public var ksDistance: Double
  public var tailCount: Int
  /// Positive values the fit saw (values ≤ 0 are left out).
  public var positiveCount: Int
  /// `R = Σ ln(p_power/p_lognormal)` over the tail, `R/(s√n)`, and the two-sided p-value.
  public var lognormalRatio: Double
  public var lognormalNormalizedRatio: Double
  public var lognormalP: Double
  /// The lognormal's fitted μ and σ (of ln x), truncated at x_min.
  public var lognormalMu: Double
  public var lognormalSigma: Double
  /// The tail, ascending, for the plot.
  public var tail: [Double]
}

/// Every series estimator of the indicators on one series: DFA (α), the rescaled-range Hurst
/// exponent, Higuchi's dimension, the power-spectrum slope β, the integrated autocorrelation
/// time, and a power-law fit of the tail of the positive values with the lognormal
/// comparison. An estimator the series is too short for is `nil`.
public struct SeriesAnalysis: Codable, Sendable, Equatable {
  public var source: String
  public var column: String
  public var count: Int
  public var mean: Double
  public var standardDeviation: Double
  public var detrendedFluctuation: ScalingCurve?
  public var rescaledRange: ScalingCurve?
  public var higuchiDimension: ScalingExponent?
  public var spectrumSlope: ScalingExponent?
  public var autocorrelationTime: Double?
  public var tail: SeriesTailFit?
  public var options: SeriesOptions
}

/// Runs every estimator of ``SeriesAnalysis`` on `values`.
public func analyzeSeries(
  _ values: [Double], source: String = "", column: String = "", options: SeriesOptions = .init()
) -> SeriesAnalysis {
  let n = values.count
  let mean = n > 0 ? values.reduce(0, +) / Double(n) : .nan
  let variance =
    n > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1) : .nan
  func curve(_ fit: ScalingExponent, intercept: Double, values: [Double?]) -> ScalingCurve {
    ScalingCurve(
      exponent: fit.exponent, standardError: fit.standardError, intercept: intercept,
      scales: fit.scales, values: values)
  }
  let dfa = detrendedFluctuationFit(
    values, minimumScale: options.dfaMinimumScale, scaleCount: options.dfaScaleCount,
    windows: options.dfaWindows)
  let rs = rescaledRangeFit(
    values, minimumScale: options.rescaledRangeMinimumScale,
    scaleCount: options.rescaledRangeScaleCount)
  var path = [Double](repeating: 0, count: n)
  var running = 0.0
  for i in 0..<n {
    running += values[i] - mean
    path[i] = running
  }
  let tail = PowerLawFit(
    values, minimumTail: options.minimumTail, distance: options.tailDistance,
    maximumAlpha: options.tailMaximumAlpha
  ).map { fit in
    let comparison = fit.compareWithLognormal()
    return SeriesTailFit(
      alpha: fit.alpha, standardError: fit.standardError, xMin: fit.xMin,
      ksDistance: fit.ksDistance, tailCount: fit.tailCount,
      positiveCount: values.filter { $0 > 0 }.count, lognormalRatio: comparison.ratio,
      lognormalNormalizedRatio: comparison.normalizedRatio, lognormalP: comparison.pValue,
      lognormalMu: comparison.mu, lognormalSigma: comparison.sigma, tail: fit.tail)
  }
  return SeriesAnalysis(
    source: source, column: column, count: n, mean: mean,
    standardDeviation: variance.squareRoot(),
    detrendedFluctuation: dfa.map {
      curve($0.exponent, intercept: $0.intercept, values: $0.fluctuations.map { Optional($0) })
    },
    rescaledRange: rs.map { curve($0.exponent, intercept: $0.intercept, values: $0.ranges) },
    higuchiDimension: higuchiDimension(
      options.higuchiOnPath ? path : values, maximumLag: options.higuchiMaximumLag),
    spectrumSlope: powerSpectrumSlope(values, fraction: options.spectrumFraction),
    autocorrelationTime: integratedAutocorrelationTime(
      values, window: options.autocorrelationWindow),
    tail: tail, options: options)
}

import ArgumentParser
import Experiments
import Foundation
import Report

/// `crit series FILE`: every series estimator of the indicators on a column of the user's own
/// CSV or `.npy` file.
struct SeriesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "series",
    abstract: "DFA, R/S Hurst, Higuchi, spectrum slope, τ_int and a power-law tail of a series.",
    discussion: """
      Reads a column of a CSV file (a first row with a non-numeric field is a header) or a \
      .npy array (1-D, or a column of a 2-D array). DFA-1 over log-spaced windows from \
      --dfa-min-scale to N/4 (--dfa-windows both: windows from the start and from the end, as \
      Peng et al.; start and overlap are nolds' dfa(overlap=False) and its default); the \
      rescaled-range H over windows from --rs-min-scale to N/4 (S with divisor n, no \
      small-sample correction: nolds' hurst_rs(corrected=False, unbiased=False)); Higuchi's \
      dimension of the path (the cumulative sum; --higuchi-on series for the series itself); \
      the periodogram slope β; Sokal's τ_int; and the Clauset–Shalizi–Newman power-law fit of \
      the positive values with the lognormal likelihood-ratio test (--tail-fit powerlaw picks \
      x_min as the powerlaw package 2.0 does: the lower-step KS distance, every distinct value \
      but the largest a candidate, exponents kept below 3 as its default range does).
      """)

  /// Conventions of the tail fit.
  enum TailFit: String, ExpressibleByArgument, CaseIterable {
    case clauset, powerlaw
  }

  @Argument(help: "A CSV file or a .npy array.")
  var file: String

  @Option(help: "The column: a header name or an index from 0 (needed when there are several).")
  var column: String?

  @Option(
    help: "DFA windows: both (from the start and the end), start, or overlap (half-overlapping).")
  var dfaWindows: FluctuationWindows = .bothEnds

  @Option(help: "Smallest DFA window.")
  var dfaMinScale = 8

  @Option(help: "Smallest R/S window.")
  var rsMinScale = 16

  @Option(help: "Largest Higuchi lag.")
  var higuchiMaxLag = 16

  @Option(help: "Higuchi's dimension of the path (cumulative sum) or of the series itself.")
  var higuchiOn = "path"

  @Option(
    help:
      "Tail fit: clauset (two-sided KS distance, tails of --min-tail) or powerlaw (the package's x_min search)."
  )
  var tailFit: TailFit = .clauset

  @Option(help: "Fewest values a candidate tail may hold (clauset).")
  var minTail = 10

  @Option(help: "Write the results as JSON here.")
  var json: String?

  @Option(help: "Write an HTML page with the fluctuation, R/S and tail plots here.")
  var html: String?

  func run() throws {
    for (path, option) in [(json, "--json"), (html, "--html")] {
      if let path { try OutputPath.checkFile(path, option: option) }
    }
    try checkCount(dfaMinScale, "--dfa-min-scale", 4...1_000_000)
    try checkCount(rsMinScale, "--rs-min-scale", 4...1_000_000)
    try checkCount(higuchiMaxLag, "--higuchi-max-lag", 2...1_000_000)
    try checkCount(minTail, "--min-tail", 2...1_000_000)
    guard ["path", "series"].contains(higuchiOn) else {
      throw ValidationError("--higuchi-on: '\(higuchiOn)' is not allowed (allowed: path, series)")
    }
    let series = try SeriesFile.read(path: file, column: column)
    guard series.values.count >= 32 else {
      throw ValidationError(
        "\(file): \(series.values.count) values; the estimators need at least 32")
    }
    var options = SeriesOptions()
    options.dfaWindows = dfaWindows
    options.dfaMinimumScale = dfaMinScale
    options.rescaledRangeMinimumScale = rsMinScale
    options.higuchiMaximumLag = higuchiMaxLag
    options.higuchiOnPath = higuchiOn == "path"
    options.minimumTail = minTail
    if tailFit == .powerlaw { options.matchPowerlawPackage() }
    let a = analyzeSeries(series.values, source: file, column: series.column, options: options)
    print(seriesTable(a))
    if let json {
      try JSONEncoder.forRuns.encode(a).write(to: URL(fileURLWithPath: json))
    }
    if let html { try Data(seriesPage(a).utf8).write(to: URL(fileURLWithPath: html)) }
  }
}

/// The table `crit series` prints.
func seriesTable(_ a: SeriesAnalysis) -> String {
  func pm(_ value: Double?, _ error: Double?) -> String {
    value.map { String(format: "%.4f ± %.4f", $0, error ?? .nan) } ?? "– (series too short)"
  }
  var rows: [[String]] = [
    ["DFA-1 α", pm(a.detrendedFluctuation?.exponent, a.detrendedFluctuation?.standardError)],
    ["R/S Hurst H", pm(a.rescaledRange?.exponent, a.rescaledRange?.standardError)],
    ["Higuchi D", pm(a.higuchiDimension?.exponent, a.higuchiDimension?.standardError)],
    ["spectrum slope β", pm(a.spectrumSlope?.exponent, a.spectrumSlope?.standardError)],
    ["τ_int", a.autocorrelationTime.map { String(format: "%.3f", $0) } ?? "–"],
  ]
  if let t = a.tail {
    rows += [
      ["tail α", pm(t.alpha, t.standardError)],
      ["tail x_min, n", String(format: "%.6g, %d of %d", t.xMin, t.tailCount, t.positiveCount)],
      [
        "vs lognormal",
        String(
          format: "R %.3f, R/(s√n) %.3f, p %.3g", t.lognormalRatio, t.lognormalNormalizedRatio,
          t.lognormalP),
      ],
    ]
  } else {
    rows.append(["tail α", "– (too few positive values)"])
  }
  return "\(a.source) [\(a.column)]: \(a.count) values\n"
    + renderTable(header: ["estimator", "value"], rows: rows)
}

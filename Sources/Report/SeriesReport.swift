import Experiments
import Foundation
import Indicators

/// The page of `crit series`: the estimates in a table, the DFA fluctuation function and the
/// rescaled range on log–log axes with their fitted lines, and the tail's complementary CDF
/// with the fitted power law.
public func seriesPage(_ a: SeriesAnalysis) -> String {
  func f(_ x: Double?, _ format: String = "%.4f") -> String {
    x.map { $0.isFinite ? String(format: format, $0) : "–" } ?? "–"
  }
  func fit(_ c: ScalingCurve?) -> String {
    c.map { String(format: "%.4f ± %.4f", $0.exponent, $0.standardError) } ?? "–"
  }
  let rows: [(String, String, String)] = [
    (
      "DFA-1 α", fit(a.detrendedFluctuation),
      "windows \(a.options.dfaWindows.rawValue); α = H for fractional Gaussian noise, 0.5 white, 1.5 a random walk"
    ),
    (
      "R/S Hurst H", fit(a.rescaledRange),
      "windows from the start, S with divisor n, no small-sample correction"
    ),
    (
      "Higuchi D",
      a.higuchiDimension.map { String(format: "%.4f ± %.4f", $0.exponent, $0.standardError) }
        ?? "–",
      a.options.higuchiOnPath ? "of the path (cumulative sum)" : "of the series as a curve"
    ),
    (
      "spectrum slope β",
      a.spectrumSlope.map { String(format: "%.4f ± %.4f", $0.exponent, $0.standardError) } ?? "–",
      "P(f) ∝ f^β on the lowest \(Int(100 * a.options.spectrumFraction)) % of frequencies"
    ),
    (
      "τ_int", f(a.autocorrelationTime, "%.3f"),
      "Sokal window c = \(f(a.options.autocorrelationWindow, "%g"))"
    ),
    (
      "tail α", a.tail.map { String(format: "%.4f ± %.4f", $0.alpha, $0.standardError) } ?? "–",
      a.tail.map {
        "x_min \(f($0.xMin, "%.4g")), \($0.tailCount) of \($0.positiveCount) positive values, KS D \(f($0.ksDistance)) (\(a.options.tailDistance.rawValue))"
      } ?? "too few positive values"
    ),
    (
      "vs lognormal",
      a.tail.map {
        String(format: "R = %.3f, R/(s√n) = %.3f", $0.lognormalRatio, $0.lognormalNormalizedRatio)
      } ?? "–",
      a.tail.map { String(format: "p = %.3g (R > 0 favours the power law)", $0.lognormalP) } ?? ""
    ),
  ]
  var page =
    htmlPageHead(title: "crit series")
    + "<h1>Series \(escape(a.source))</h1><p class=\"note\">column \(escape(a.column)), \(a.count) values, mean \(f(a.mean, "%.4g")), standard deviation \(f(a.standardDeviation, "%.4g")).</p><table><tr><th>estimator</th><th>value</th><th>settings</th></tr>"
  for (name, value, note) in rows {
    page += "<tr><td>\(escape(name))</td><td>\(escape(value))</td><td>\(escape(note))</td></tr>"
  }
  page += "</table><div class=\"plots\">"
  page += scalingChart(
    a.detrendedFluctuation, title: "DFA fluctuation function", yLabel: "log10 F(n)", name: "F(n)")
  page += scalingChart(
    a.rescaledRange, title: "Rescaled range", yLabel: "log10 R/S", name: "mean R/S")
  if let tail = a.tail { page += tailChart(tail) }
  return page + "</div></body></html>\n"
}

/// Points of a scaling fit and its line, on log10 axes.
func scalingChart(_ c: ScalingCurve?, title: String, yLabel: String, name: String) -> String {
  guard let c else { return "" }
  let points = zip(c.scales, c.values).compactMap { s, v in
    v.flatMap { $0 > 0 ? (log10(Double(s)), log10($0)) : nil }
  }
  guard let low = points.first?.0, let high = points.last?.0 else { return "" }
  let line = [low, high].map { x in (c.intercept + c.exponent * x * log(10)) / log(10) }
  return SVGPlot.lineChart(
    title: title, xLabel: "log10 n", yLabel: yLabel,
    series: [
      PlotSeries(name: name, color: SVGPlot.palette[0], x: points.map(\.0), y: points.map(\.1)),
      PlotSeries(
        name: String(format: "slope %.3f", c.exponent), color: SVGPlot.palette[1],
        x: [low, high], y: line, dashed: true),
    ])
}

/// The tail's empirical complementary CDF and the fitted power law (x/x_min)^(1−α).
func tailChart(_ t: SeriesTailFit) -> String {
  let m = t.tail.count
  guard m >= 2 else { return "" }
  let step = max(1, m / 400)
  let indices = Array(stride(from: 0, to: m, by: step))
  let xs = indices.map { log10(t.tail[$0]) }
  let ys = indices.map { log10(Double(m - $0) / Double(m)) }
  let ends = [t.xMin, t.tail[m - 1]]
  return SVGPlot.lineChart(
    title: "Tail (complementary CDF)", xLabel: "log10 x", yLabel: "log10 P(X ≥ x)",
    series: [
      PlotSeries(name: "data", color: SVGPlot.palette[0], x: xs, y: ys),
      PlotSeries(
        name: String(format: "power law α = %.2f", t.alpha), color: SVGPlot.palette[1],
        x: ends.map { log10($0) }, y: ends.map { (1 - t.alpha) * log10($0 / t.xMin) },
        dashed: true),
    ])
}

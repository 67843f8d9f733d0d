import Experiments
import Foundation
import Spectral

/// The analysis page: a table and each layer's ESD on log–log axes with the fitted tail and
/// the Marchenko–Pastur edge.
public func spectrumPage(_ layers: [LayerSpectrumAnalysis], files: [String]) -> String {
  var page =
    htmlPageHead(title: "crit analyze")
      + """
      <h1>Weight spectra</h1><p class="note">\(escape(files.joined(separator: ", "))). ESD of WᵀW per layer (squared singular values, WeightWatcher 0.7.7's conventions; eigenvalues ≤ 10⁻⁵ left out of the fit); α by \(layers.first.map { $0.fitMethod == .clauset ? "the Clauset–Shalizi–Newman power-law fit" : "WeightWatcher's power-law fit" } ?? "") of its tail (x_min by KS distance); Marchenko–Pastur edge λ₊ by WeightWatcher's kernel-density fit. Heavy-tailed self-regularization reads α ≈ 2–4 as well trained, α &gt; 6 as little structure, α &lt; 2 as very heavy tails.</p>
      <table><tr><th>layer</th><th>shape</th><th>α ± σ</th><th>x_min</th><th>KS D</th><th>tail</th><th>α-weighted</th><th>log λ_max</th><th>stable rank</th><th>MP spikes</th></tr>
      """
  for l in layers {
    page +=
      "<tr><td>\(escape(l.name))</td><td>\(l.shape.map(String.init).joined(separator: "×"))</td><td>\(l.alpha.map { String(format: "%.2f ± %.2f", $0, l.alphaStandardError ?? .nan) } ?? "–")</td><td>\(l.xMin.map { String(format: "%.3g", $0) } ?? "–")</td><td>\(l.ksDistance.map { String(format: "%.3f", $0) } ?? "–")</td><td>\(l.tailCount.map(String.init) ?? "–")</td><td>\(l.alphaWeighted.map { String(format: "%.3f", $0) } ?? "–")</td><td>\(String(format: "%.3f", l.logSpectralNorm))</td><td>\(String(format: "%.1f", l.stableRank))</td><td>\(l.spikes)</td></tr>"
  }
  page += "</table><h2>Spectra</h2><div class=\"plots\">"
  for l in layers { page += esdChart(l) }
  return page + "</div></body></html>\n"
}

/// log10 density of the ESD in log-spaced bins, the fitted power law over the tail and the
/// Marchenko–Pastur edge.
func esdChart(_ l: LayerSpectrumAnalysis) -> String {
  let positive = l.eigenvalues.filter { $0 > 0 }
  guard let low = positive.first, let high = positive.last, high > low else { return "" }
  let bins = 40
  let (a, b) = (log10(low), log10(high) + 1e-9)
  guard a.isFinite, b.isFinite, b > a else { return "" }
  var counts = [Double](repeating: 0, count: bins)
  for v in positive {
    let position = (log10(v) - a) / (b - a) * Double(bins)
    guard position.isFinite else { continue }
    counts[min(bins - 1, max(0, Int(position)))] += 1
  }
  var xs: [Double] = []
  var ys: [Double] = []
  for i in 0..<bins where counts[i] > 0 {
    let left = pow(10, a + (b - a) * Double(i) / Double(bins))
    let right = pow(10, a + (b - a) * Double(i + 1) / Double(bins))
    xs.append(log10((left * right).squareRoot()))
    ys.append(log10(counts[i] / Double(positive.count) / (right - left)))
  }
  var series = [PlotSeries(name: "ESD", color: SVGPlot.palette[0], x: xs, y: ys)]
  if let alpha = l.alpha, let xMin = l.xMin, let tail = l.tailCount {
    // Density of the fitted tail, scaled by the tail's share of all eigenvalues.
    let share = Double(tail) / Double(positive.count)
    let points = [xMin, high].map { log10($0) }
    series.append(
      PlotSeries(
        name: String(format: "power law α = %.2f", alpha), color: SVGPlot.palette[1], x: points,
        y: points.map {
          log10(share * (alpha - 1) / xMin) - alpha * ($0 - log10(xMin))
        }, dashed: true))
  }
  let finiteY = ys.filter(\.isFinite)
  if let yLow = finiteY.min(), let yHigh = finiteY.max(), let edge = l.marchenkoPasturEdge {
    series.append(
      PlotSeries(
        name: "MP edge λ₊", color: SVGPlot.palette[2],
        x: [log10(edge), log10(edge)], y: [yLow, yHigh],
        dashed: true))
  }
  return SVGPlot.lineChart(
    title: l.name, xLabel: "log10 λ", yLabel: "log10 density", series: series)
}

/// The page of `crit analyze RUN_DIRECTORY`: each layer's α, weighted α, log λ_max and stable
/// rank against the epoch of the run's checkpoints.
public func checkpointSpectraPage(_ checkpoints: [CheckpointSpectra], directory: String) -> String {
  var names: [String] = []
  for c in checkpoints { for l in c.layers where !names.contains(l.name) { names.append(l.name) } }
  func chart(_ title: String, _ yLabel: String, _ value: (LayerSpectrumAnalysis) -> Double?)
    -> String
  {
    let series = names.enumerated().compactMap { i, name -> PlotSeries? in
      let points = checkpoints.compactMap { c -> (Double, Double)? in
        guard let layer = c.layers.first(where: { $0.name == name }), let v = value(layer),
          v.isFinite
        else { return nil }
        return (Double(c.epoch), v)
      }
      guard !points.isEmpty else { return nil }
      return PlotSeries(
        name: name, color: SVGPlot.palette[i % SVGPlot.palette.count], x: points.map(\.0),
        y: points.map(\.1))
    }
    guard !series.isEmpty else { return "" }
    return SVGPlot.lineChart(title: title, xLabel: "epoch", yLabel: yLabel, series: series)
  }
  let epochs = checkpoints.map(\.epoch)
  var page = htmlPageHead(title: "crit analyze \(directory)")
  page += "<h1>Weight spectra over training</h1><p class=\"note\">\(escape(directory)): "
  page += "\(checkpoints.count) checkpoints (epochs \(epochs.first ?? 0)…\(epochs.last ?? 0)), "
  page += "each layer analysed as crit analyze does (WeightWatcher 0.7.7's conventions). "
  page += "Heavy-tailed self-regularization reads α ≈ 2–4 as well trained, α &gt; 6 as little "
  page += "structure.</p><div class=\"plots\">"
  page += chart("Power-law α of the ESD tail", "α") { $0.alpha }
  page += chart("Weighted α (α·log λ_max)", "α̂") { $0.alphaWeighted }
  page += chart("Largest eigenvalue", "log10 λ_max") { $0.logSpectralNorm }
  page += chart("Stable rank", "‖W‖²_F / ‖W‖²₂") { $0.stableRank }
  return page + "</div></body></html>\n"
}

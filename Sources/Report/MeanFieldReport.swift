import Foundation
import NN
import Theory

/// The `meanfield` protocol's report (SPEC §7 protocol 3): mean-field predictions of q*, χ₁ and
/// the layer-to-layer length and correlation maps beside measurements on random networks of
/// finite width and depth, over a grid of (σ_w², σ_b²).
public struct MeanFieldReport {
  /// One grid point: theory and measurement.
  public typealias Point = MeanFieldComparison

  public var activation: Activation
  public var width: Int
  public var depth: Int
  public var points: [Point]
  public var seconds: Double

  public init(activation: Activation, width: Int, depth: Int, points: [Point], seconds: Double) {
    self.activation = activation
    self.width = width
    self.depth = depth
    self.points = points
    self.seconds = seconds
  }

  static func relative(_ measured: Double, _ predicted: Double) -> Double {
    predicted.isFinite && predicted != 0 ? (measured - predicted) / abs(predicted) : .nan
  }

  /// Rows for a terminal table: σ_w², σ_b², q* theory/measured, χ₁ theory/measured/error, phase.
  public var rows: [[String]] {
    points.map { p in
      let q = p.theory.fixedPointLength
      let chi = p.theory.chi1()
      return [
        String(format: "%g", p.weightVariance), String(format: "%g", p.biasVariance),
        q.isFinite ? String(format: "%.4f", q) : "∞", String(format: "%.4f", p.measuredLength),
        String(format: "%.4f", chi), String(format: "%.4f", p.measuredChi1),
        String(format: "%+.2f%%", 100 * Self.relative(p.measuredChi1, chi)),
        abs(chi - 1) < 0.02 ? "critical" : chi < 1 ? "ordered" : "chaotic",
      ]
    }
  }

  public static let header = [
    "σ_w²", "σ_b²", "q* theory", "q* measured", "χ₁ theory", "χ₁ measured", "χ₁ error", "phase",
  ]

  public func html() -> String {
    var page =
      htmlPageHead(title: "Mean-field protocol (\(activation.rawValue))")
        + """
        <h1>Mean-field theory beside random \(activation.rawValue) networks</h1>
        <p class="note">Each point is one random network of width \(width) and depth \(depth) (weights N(0, σ_w²/N) and biases N(0, σ_b²) drawn afresh per layer, four Gaussian inputs, the first two with correlation 0.5), against the infinite-width theory by Gauss–Hermite quadrature. Measured q* is the mean of q^l over the second half of the layers, measured χ₁ the mean of ‖D W‖²_F/N over layers after the tenth. \(points.count) points in \(String(format: "%.1f", seconds)) s.</p>
        <table><tr>\(Self.header.map { "<th>\($0)</th>" }.joined())</tr>
        """
    for row in rows { page += "<tr>\(row.map { "<td>\($0)</td>" }.joined())</tr>" }
    page += "</table><h2>χ₁ across the grid</h2><div class=\"plots\">"
    let biases = Array(Set(points.map(\.biasVariance))).sorted()
    var series: [PlotSeries] = []
    for (i, b) in biases.enumerated() {
      let row = points.filter { $0.biasVariance == b }.sorted {
        $0.weightVariance < $1.weightVariance
      }
      let color = SVGPlot.palette[i % SVGPlot.palette.count]
      let fine = (1...60).map { Double($0) / 60 * (row.last?.weightVariance ?? 4) }
      series.append(
        PlotSeries(
          name: "theory σ_b² = \(b)", color: color, x: fine,
          y: fine.map {
            MeanField(activation: activation, weightVariance: $0, biasVariance: b).chi1()
          }))
      series.append(
        PlotSeries(
          name: "measured σ_b² = \(b)", color: color, x: row.map(\.weightVariance),
          y: row.map(\.measuredChi1), dashed: true))
    }
    page += SVGPlot.lineChart(
      title: "χ₁: theory (solid) and one random network (dashed)", xLabel: "σ_w²", yLabel: "χ₁",
      series: series, references: [ReferenceLine(y: 1, label: "edge of chaos")], width: 560,
      height: 340)
    page += "</div><h2>Layer by layer</h2><div class=\"plots\">"
    // A few points: ordered, near critical, chaotic.
    let shown = points.sorted { abs($0.theory.chi1() - 1) < abs($1.theory.chi1() - 1) }
    var chosen: [Point] = []
    if let critical = shown.first { chosen.append(critical) }
    if let ordered = points.min(by: { $0.theory.chi1() < $1.theory.chi1() }) {
      chosen.append(ordered)
    }
    if let chaotic = points.max(by: { $0.theory.chi1() < $1.theory.chi1() }) {
      chosen.append(chaotic)
    }
    let layers = (1...depth).map(Double.init)
    var qSeries: [PlotSeries] = []
    var cSeries: [PlotSeries] = []
    for (i, p) in chosen.enumerated() {
      let predicted = p.predictedTrajectories
      let color = SVGPlot.palette[i % SVGPlot.palette.count]
      let label = "σ_w² \(p.weightVariance), σ_b² \(p.biasVariance)"
      qSeries.append(
        PlotSeries(name: "\(label) theory", color: color, x: layers, y: predicted.lengths))
      qSeries.append(
        PlotSeries(
          name: "measured", color: color, x: layers, y: p.measurement.lengths, dashed: true))
      cSeries.append(
        PlotSeries(name: "\(label) theory", color: color, x: layers, y: predicted.correlations))
      cSeries.append(
        PlotSeries(
          name: "measured", color: color, x: layers, y: p.measurement.correlations, dashed: true))
    }
    page += SVGPlot.lineChart(
      title: "length q^l", xLabel: "layer", yLabel: "q^l", series: qSeries, width: 540, height: 340)
    page += SVGPlot.lineChart(
      title: "correlation c^l of two inputs", xLabel: "layer", yLabel: "c^l", series: cSeries,
      width: 540, height: 340)
    return page + "</div></body></html>\n"
  }
}

import Experiments
import Foundation
import Statistics

/// The `attention` protocol's report (SPEC §7 protocol 7). Part one, rank collapse at
/// initialisation: log₁₀ of the relative residual against depth per architecture with 95 %
/// bands over seeds, log₁₀(−log₁₀ r) against depth (a doubly exponential decay is a straight
/// rising line there, a single exponential flattens), the effective rank, and the verdicts.
/// Part two, trained transformers under spectral control: ``AttentionTrainingReport``.
public struct AttentionReport {
  public var summary: AttentionSummary
  public var seconds: Double
  public var command: String

  public init(summary: AttentionSummary, seconds: Double, command: String) {
    self.summary = summary
    self.seconds = seconds
    self.command = command
  }

  public static let header = [
    "architecture", "log₁₀ r, depth 1", "log₁₀ r, last depth", "effective rank, last depth",
    "−log r growth per layer",
  ]

  public var rows: [[String]] {
    AttentionProtocol.variants.map { variant in
      let c = summary.curves(variant)
      let g = summary.growthFactor(variant)
      func text(_ m: MeanInterval?) -> String {
        guard let m, m.count > 0 else { return "–" }
        return String(format: "%.2f ± %.2f", m.mean, m.halfWidth)
      }
      return [
        variant.label, text(c.logResidual.count > 1 ? c.logResidual[1] : nil),
        text(c.logResidual.last), text(c.effectiveRank.last), text(g.count > 0 ? g : nil),
      ]
    }
  }

  func chart(
    title: String, yLabel: String, _ values: (AttentionProtocol.Variant) -> [MeanInterval],
    bands: Bool = true
  ) -> String {
    let series = AttentionProtocol.variants.enumerated().map { i, variant in
      let v = values(variant)
      let points = v.enumerated().filter { $0.element.count > 0 && $0.element.mean.isFinite }
      return PlotSeries(
        name: variant.label, color: SVGPlot.palette[i], x: points.map { Double($0.offset) },
        y: points.map(\.element.mean),
        band: bands ? (points.map(\.element.lower), points.map(\.element.upper)) : nil)
    }
    return SVGPlot.lineChart(
      title: title, xLabel: "depth ℓ", yLabel: yLabel, series: series, width: 540, height: 360)
  }

  public func html() -> String {
    let d = summary.definition
    var page =
      htmlPageHead(title: "Attention near the edge of chaos (\(d.name))")
        + """
        <h1>Attention near the edge of chaos</h1>
        <h2>Rank collapse at initialisation</h2>
        <p class="note">Stacks of \(d.depth) freshly drawn transformer blocks (width \(d.width), \(d.heads) heads, weights N(0, 1/D), pre-LN when LayerNorm is on, MLP 4D wide with GELU) applied to \(d.length) Gaussian tokens, in double precision; after every block the relative residual r = ‖X − 1x̄ᵀ‖_F/‖X‖_F (0 when every token is the same) and the effective rank exp H(σ/Σσ). \(d.seeds) seeds per architecture; bands are 95 % intervals over seeds; residuals below 10⁻¹⁵ are rounding and drawn at that floor. \(String(format: "%.1f", seconds)) s. Command: <code>\(escape(command))</code>.</p>
        <h2>What held and what did not</h2><ul>
        """
    for sentence in summary.verdicts() { page += "<li>\(escape(sentence))</li>" }
    page += "</ul><table><tr>" + Self.header.map { "<th>\($0)</th>" }.joined() + "</tr>"
    for row in rows { page += "<tr>\(row.map { "<td>\(escape($0))</td>" }.joined())</tr>" }
    page += "</table><h3>Against depth</h3><div class=\"plots\">"
    page += chart(title: "relative residual", yLabel: "log₁₀ r") { summary.curves($0).logResidual }
    page += chart(
      title: "doubly exponential decay is a straight line here", yLabel: "log₁₀(−log₁₀ r)",
      { variant in
        summary.curves(variant).logResidual.map { m in
          m.mean < 0 ? MeanInterval([log10(-m.mean)]) : MeanInterval([])
        }
      }, bands: false)
    page += chart(title: "effective rank of the tokens", yLabel: "exp H(σ/Σσ)") {
      summary.curves($0).effectiveRank
    }
    page += "</div>" + AttentionTrainingReport(summary: summary.training).html()
    return page + "</body></html>\n"
  }
}

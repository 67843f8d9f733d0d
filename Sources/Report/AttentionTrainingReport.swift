import Data
import Experiments
import Foundation
import Statistics
import Steering

/// The `attention` protocol's second part in its report: transformers trained on the sequence
/// tasks under each spectral control — the comparison table (controls against no control,
/// per task and metric), score, attention entropy and σ_max of the query–key forms over
/// training with 95 % bands over seeds, the attention maps of one held-out sequence, the
/// input–output Jacobian's spectrum and the heavy-tailed α of the weights.
public struct AttentionTrainingReport {
  public var summary: AttentionTrainingSummary

  public init(summary: AttentionTrainingSummary) { self.summary = summary }

  var definition: AttentionTraining { summary.definition }

  /// Controls as groups (no control the baseline), task × metric as blocks.
  public func table() -> ComparisonTable {
    let metrics = AttentionTrainingSummary.metrics
    let blocks = definition.tasks.flatMap { task in
      metrics.map { m in
        ComparisonTable.Block(
          "\(task.rawValue): \(m.name == "held-out score" ? task.scoreName : m.name)",
          format: m.format, higherIsBetter: m.higherIsBetter)
      }
    }
    let labels = definition.controls.map(\.label)
    return ComparisonTable(
      groups: labels, blocks: blocks,
      baseline: definition.controls.contains(.none) ? AttentionSpectralControl.none.label : nil
    ) { group, block in
      let control = definition.controls[labels.firstIndex(of: group)!]
      let task = definition.tasks[block / metrics.count]
      return summary.values(task, control, metric: block % metrics.count)
    }
  }

  func overTraining(
    _ task: AttentionTask, title: String, yLabel: String,
    _ value: @escaping (TransformerTaskRun.Snapshot) -> Double
  ) -> String {
    let series = definition.controls.enumerated().map { i, control in
      let (steps, values) = summary.curve(task, control, value)
      let points = zip(steps, values).filter { $0.1.count > 0 && $0.1.mean.isFinite }
      return PlotSeries(
        name: control.label, color: SVGPlot.palette[i % SVGPlot.palette.count],
        x: points.map { Double($0.0) }, y: points.map(\.1.mean),
        band: (points.map(\.1.lower), points.map(\.1.upper)))
    }
    return SVGPlot.lineChart(
      title: title, xLabel: "step", yLabel: yLabel, series: series, width: 420, height: 280)
  }

  /// Sorted log₁₀ singular values of the Jacobian against their rank fraction, mean over
  /// seeds; at initialisation dashed.
  func jacobianChart(_ task: AttentionTask) -> String {
    var series: [PlotSeries] = []
    for (i, control) in definition.controls.enumerated() {
      let color = SVGPlot.palette[i % SVGPlot.palette.count]
      // A penalty leaves the initial weights as they are: its initial spectrum is no control's.
      let hasOwnStart: Bool
      if case .queryKeyPenalty = control {
        hasOwnStart = !definition.controls.contains(.none)
      } else {
        hasOwnStart = true
      }
      for initial in hasOwnStart ? [false, true] : [false] {
        let spectra = summary.results(task, control).compactMap { $0.result }.map {
          initial ? $0.initialJacobian : $0.finalJacobian
        }.filter { !$0.isEmpty }
        guard let n = spectra.map(\.count).min(), n > 0 else { continue }
        let mean = (0..<n).map { k in
          spectra.reduce(0.0) { $0 + log10(max($1[k], 1e-30)) } / Double(spectra.count)
        }
        series.append(
          PlotSeries(
            name: "\(control.label)\(initial ? ", at initialisation" : "")", color: color,
            x: (0..<n).map { Double($0) / Double(n) }, y: mean, dashed: initial))
      }
    }
    return SVGPlot.lineChart(
      title: "\(task.rawValue): input–output Jacobian spectrum", xLabel: "rank k/n",
      yLabel: "log₁₀ σ_k", series: series, width: 420, height: 280)
  }

  /// The attention maps of held-out sequence 0 for seed 1: one row per control, one image per
  /// layer and head (white 0, red 1).
  func maps(_ task: AttentionTask) -> String {
    var html = "<table class=\"maps\"><tr><th></th>"
    let first = summary.results.first { $0.run.task == task && !($0.result?.maps.isEmpty ?? true) }?
      .result
    let layers = first?.maps.count ?? 0
    let heads = first?.maps.first?.count ?? 0
    for l in 0..<layers {
      for h in 0..<heads { html += "<th>layer \(l + 1), head \(h + 1)</th>" }
    }
    html += "</tr>"
    let length = definition.template.length
    for control in definition.controls {
      html += "<tr><td>\(escape(control.label))</td>"
      let result = summary.results(task, control).first { $0.run.seed == 1 }?.result
      for l in 0..<layers {
        for h in 0..<heads {
          guard let values = result?.maps[safe: l]?[safe: h], values.count == length * length
          else {
            html += "<td>–</td>"
            continue
          }
          let rows = (0..<length).map { i in Array(values[(i * length)..<((i + 1) * length)]) }
          let png = divergingHeatMapPNG(values: rows, limit: 1)
          html +=
            "<td><img alt=\"attention map\" width=\"96\" height=\"96\" style=\"image-rendering:pixelated\" src=\"data:image/png;base64,\(base64(png))\"></td>"
        }
      }
      html += "</tr>"
    }
    return html + "</table>"
  }

  /// Mean α (WeightWatcher fit of each matrix's WᵀW eigenvalues) per matrix type and control,
  /// over tasks, layers and seeds, with how many matrices gave a fit.
  func alphaTable() -> String {
    let types = ["query", "key", "value", "output", "hidden", "projection"]
    var html = "<table><tr><th>matrix</th>"
    html += definition.controls.map { "<th>\(escape($0.label))</th>" }.joined() + "</tr>"
    for type in types {
      html += "<tr><td>W_\(type)</td>"
      for control in definition.controls {
        let weights = summary.results.filter { $0.run.control == control }
          .compactMap(\.result).flatMap(\.weights)
          .filter { $0.name.hasSuffix("\(type).weight") }
        let alphas = weights.compactMap(\.alpha)
        let cell = formatInterval(MeanInterval(alphas), "%.2f")
        html +=
          "<td>\(escape(cell)) <small>(\(alphas.count) of \(weights.count) fitted)</small></td>"
      }
      html += "</tr>"
    }
    return html + "</table>"
  }

  public func html() -> String {
    let t = definition.template
    let sizes =
      "\(t.depth) pre-LN layers of width \(t.width) with \(t.heads) heads, sequences of \(t.length) (tokens from \(t.vocabulary); toy sum: vectors in ℝ^\(t.dimension)), Adam at \(t.learningRate), \(t.steps) steps of \(t.batch) fresh sequences, \(definition.seeds) seeds per task and control, scored on \(t.testCount) held-out sequences"
    var page = """
      <h2>Trained transformers with and without spectral control</h2>
      <p class="note">\(escape(sizes)). Controls: \(escape(definition.controls.map(\.label).joined(separator: ", "))) (the penalty adds λ Σ σ_max(W_Q,hᵀ W_K,h)² over heads and layers; σReparam uses every block matrix as γ·W/σ(W) with a learnable γ from 1). Tasks: induction and reverse score next-token accuracy on the second half; the toy sum y = (1/L) Σ_{a,b} x₁ᵃ x₂ᵃ x₃ᵇ on Gaussian vectors scores R². \(ComparisonTable.legend)</p><ul>
      """
    for sentence in summary.verdicts() { page += "<li>\(escape(sentence))</li>" }
    page += "</ul>" + table().html(layout: .groupsAsColumns, corner: "task: metric")
    for task in definition.tasks {
      page += "<h3>\(escape(task.rawValue))</h3><div class=\"plots\">"
      page += overTraining(task, title: "\(task.rawValue): \(task.scoreName)", yLabel: "score") {
        $0.testScore
      }
      page += overTraining(
        task, title: "\(task.rawValue): attention entropy", yLabel: "nats, mean over layers",
        AttentionTrainingSummary.meanEntropy)
      page += overTraining(
        task, title: "\(task.rawValue): largest σ_max(W_Q,hᵀ W_K,h)", yLabel: "σ_max"
      ) { $0.queryKeySigmaMax.max() ?? .nan }
      page += jacobianChart(task)
      page +=
        "</div><p class=\"note\">Attention maps of held-out sequence 1, seed 1, at the end of training (row: query, column: key; white 0, red 1).</p>"
      page += maps(task)
    }
    page += "<h3>Heavy-tailed α of the weights at the end of training</h3>" + alphaTable()
    return page
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

import Data
import Experiments
import Foundation
import Indicators
import Statistics

/// The self-contained `report.html` of the seed experiment (protocol `seed-poc`), with its
/// plots also written as SVG files and the decision boundaries as PNG files.
///
/// Sections: what was run; what the numbers say (generated from the paired tests, including
/// when the penalty does not help); the final table with 95 % confidence intervals and
/// significance marks; indicator curves with confidence bands; χ₁ beside σ_max with the
/// reason they differ (SPEC §10); decision boundaries per condition and seed.
public struct SeedExperimentReport {
  public var protocolDefinition: SeedProtocol
  public var conditions: [ConditionRuns]
  public var train: Dataset
  public var seconds: Double

  public init(
    protocolDefinition: SeedProtocol, conditions: [ConditionRuns], train: Dataset, seconds: Double
  ) {
    self.protocolDefinition = protocolDefinition
    self.conditions = conditions
    self.train = train
    self.seconds = seconds
  }

  var hiddenLayers: Int { protocolDefinition.base.hidden.count }

  /// Writes `report.html`, `plots/*.svg` and `boundaries/*.png` into `directory`.
  public func write(to directory: String) throws {
    let fm = FileManager.default
    try fm.createDirectory(atPath: directory + "/plots", withIntermediateDirectories: true)
    try fm.createDirectory(atPath: directory + "/boundaries", withIntermediateDirectories: true)
    let plots = makePlots()
    for (name, svg) in plots {
      try svg.write(toFile: "\(directory)/plots/\(name).svg", atomically: true, encoding: .utf8)
    }
    var images: [(condition: String, seed: UInt64, png: [UInt8])] = []
    let window = paddedWindow(
      of: train.inputs, resolution: protocolDefinition.base.indicators?.boundaryResolution ?? 256)
    let boundaryWindow = PlaneWindow(
      xMin: window.xMin, xMax: window.xMax, yMin: window.yMin, yMax: window.yMax,
      resolution: max(window.resolution, 128))
    for condition in conditions {
      for result in condition.results {
        let png = decisionBoundaryPNG(
          model: restoreModel(result), window: boundaryWindow, points: train)
        images.append((condition.name, result.configuration.seed, png))
        try Data(png).write(
          to: URL(
            fileURLWithPath:
              "\(directory)/boundaries/\(condition.name)-seed\(result.configuration.seed).png"))
      }
    }
    try html(plots: plots, images: images).write(
      toFile: directory + "/report.html", atomically: true, encoding: .utf8)
  }

  // MARK: Numbers

  static func accuracy(_ m: EpochMetrics) -> Double? { m.testAccuracy }
  static func sigma(_ l: Int) -> (EpochMetrics) -> Double? {
    { $0.indicators?.layers[l].spectrum.sigmaMax }
  }
  static func chi1(_ l: Int) -> (EpochMetrics) -> Double? { { $0.indicators?.layers[l].chi1 } }

  /// Rows of the final table: label, how to read the metric, and the number format.
  var tableRows: [(String, (EpochMetrics) -> Double?, String)] {
    var rows: [(String, (EpochMetrics) -> Double?, String)] = [
      ("test accuracy (%)", { $0.testAccuracy.map { 100 * $0 } }, "%.2f"),
      ("train loss", { $0.trainLoss }, "%.4f"),
      ("test loss", { $0.testLoss }, "%.4f"),
    ]

    for l in 0..<hiddenLayers {
      rows.append(("σ_max layer \(l + 1)", Self.sigma(l), "%.3f"))
    }
    for l in 0..<hiddenLayers {
      rows.append(("χ₁ layer \(l + 1)", Self.chi1(l), "%.3f"))
    }
    rows += [
      (
        "dead units (%, mean of layers)",
        { m in
          m.indicators.map { s in
            100 * s.layers.compactMap(\.deadRate).reduce(0, +) / Double(max(1, s.layers.count - 1))
          }
        }, "%.2f"
      ),
      ("sensitivity ‖J·δ‖", { $0.indicators?.sensitivityJacobian }, "%.3f"),
      ("sensitivity, finite difference", { $0.indicators?.sensitivityFiniteDifference }, "%.3f"),
      ("boundary dimension", { $0.indicators?.boundary?.dimension }, "%.3f"),
    ]
    return rows
  }

  /// The final values as one comparison table: rows the metrics, columns the conditions, each
  /// condition against the first (paired by seed), Holm over the whole table. Accuracy is
  /// better higher, the losses lower; the indicators have no direction.
  public func finalTable() -> ComparisonTable {
    let rows = tableRows
    let directions: [String: Bool] = [
      "test accuracy (%)": true, "train loss": false, "test loss": false,
    ]
    return ComparisonTable(
      groups: conditions.map(\.name),
      blocks: rows.map {
        ComparisonTable.Block($0.0, format: $0.2, higherIsBetter: directions[$0.0])
      },
      baseline: conditions.first?.name
    ) { name, row in
      conditions.first { $0.name == name }?.seededFinals(rows[row].1) ?? []
    }
  }

  /// The plain-language paragraph: what the paired tests say about accuracy and where the
  /// penalised σ_max ended.
  public func statement() -> String {
    guard let baseline = conditions.first else { return "" }
    var sentences: [String] = []
    let table = finalTable()
    let base = baseline.finals(Self.accuracy)
    let baseInterval = table.cells[0][0].interval
    for (g, condition) in conditions.enumerated().dropFirst() {
      let cell = table.cells[g][0]
      var s: String
      if let test = cell.comparison, test.difference.isFinite, test.pValue.isFinite {
        let direction = test.difference >= 0 ? "higher" : "lower"
        s =
          "Final test accuracy was \(String(format: "%.2f", cell.interval.mean)) % with \(condition.name) against \(String(format: "%.2f", baseInterval.mean)) % for the baseline: \(String(format: "%.2f", abs(test.difference))) percentage points \(direction) (\(test.test == .paired ? "paired t-test" : "Welch's t-test") over \(cell.interval.count) and \(baseInterval.count) runs, p = \(String(format: "%.3g", test.pValue)), Holm-adjusted over the table's comparisons p = \(String(format: "%.3g", cell.adjustedP)), Hedges' g = \(String(format: "%.2f", test.hedgesG))). "
        if cell.adjustedP < 0.05 {
          s +=
            test.difference > 0
            ? "The difference is significant at the 5 % level: on this task the penalty helped."
            : "The difference is significant at the 5 % level: on this task the penalty hurt."
        } else {
          s +=
            "That is not a significant difference: with \(base.count) seeds this experiment gives no evidence that the penalty helps (or hurts) accuracy."
        }
      } else {
        s =
          "Final test accuracy could not be compared for \(condition.name): fewer than two runs of each condition have a value (\(cell.diverged) diverged)."
      }
      let sigmas = (0..<hiddenLayers).map { MeanInterval(condition.finals(Self.sigma($0))).mean }
      let baseSigmas = (0..<hiddenLayers).map { MeanInterval(baseline.finals(Self.sigma($0))).mean }
      s +=
        " The penalised hidden layers ended with σ_max = \(sigmas.map { String(format: "%.2f", $0) }.joined(separator: ", ")) (baseline \(baseSigmas.map { String(format: "%.2f", $0) }.joined(separator: ", ")))"
      if let target = condition.results.first?.configuration.regularization {
        if target.kind == .spectralPenalty {
          s += ", target τ = \(target.targets.target(layer: 0)) at λ = \(target.weight)"
        }
      }
      s += "."
      let dims = MeanInterval(condition.finals { $0.indicators?.boundary?.dimension })
      let baseDims = MeanInterval(baseline.finals { $0.indicators?.boundary?.dimension })
      if dims.mean.isFinite && baseDims.mean.isFinite,
        let row = table.blocks.firstIndex(where: { $0.name == "boundary dimension" })
      {
        let p = table.cells[g][row].adjustedP
        s +=
          " The decision boundary's box-counting dimension was \(String(format: "%.3f", dims.mean)) against \(String(format: "%.3f", baseDims.mean)) (Holm-adjusted p = \(String(format: "%.3g", p))); a value near 1 means a smooth curve, not a fractal one."
      }
      sentences.append(s)
    }
    return sentences.joined(separator: " ")
  }

  // MARK: Plots

  func makePlots() -> [(String, String)] {
    func series(_ metric: (EpochMetrics) -> Double?, scale: Double = 1) -> [PlotSeries] {
      conditions.enumerated().map { i, condition in
        let curve = condition.curve(metric)
        return PlotSeries(
          name: condition.name, color: SVGPlot.palette[i % SVGPlot.palette.count], x: curve.epochs,
          y: curve.intervals.map { scale * $0.mean },
          band: (curve.intervals.map { scale * $0.lower }, curve.intervals.map { scale * $0.upper })
        )
      }
    }
    func layered(_ metric: (Int) -> (EpochMetrics) -> Double?) -> [PlotSeries] {
      conditions.enumerated().flatMap { i, condition in
        (0..<hiddenLayers).map { l in
          let curve = condition.curve(metric(l))
          return PlotSeries(
            name: "\(condition.name), layer \(l + 1)",
            color: SVGPlot.palette[(i * hiddenLayers + l) % SVGPlot.palette.count], x: curve.epochs,
            y: curve.intervals.map(\.mean),
            band: (curve.intervals.map(\.lower), curve.intervals.map(\.upper)),
            dashed: i > 0)
        }
      }
    }
    var plots: [(String, String)] = [
      (
        "test-accuracy",
        SVGPlot.lineChart(
          title: "Test accuracy (mean ± 95 % CI)", xLabel: "epoch", yLabel: "accuracy (%)",
          series: series({ $0.testAccuracy }, scale: 100))
      ),
      (
        "train-loss",
        SVGPlot.lineChart(
          title: "Training loss", xLabel: "epoch", yLabel: "cross-entropy",
          series: series { $0.trainLoss })
      ),
      (
        "sigma-max",
        SVGPlot.lineChart(
          title: "Top singular value σ_max per hidden layer", xLabel: "epoch", yLabel: "σ_max",
          series: layered(Self.sigma), references: [ReferenceLine(y: 1, label: "τ = 1")])
      ),
      (
        "chi1",
        SVGPlot.lineChart(
          title: "Empirical χ₁ per hidden layer", xLabel: "epoch", yLabel: "χ₁",
          series: layered(Self.chi1), references: [ReferenceLine(y: 1, label: "χ₁ = 1 (critical)")])
      ),
      (
        "dead-units",
        SVGPlot.lineChart(
          title: "Dead units per hidden layer", xLabel: "epoch", yLabel: "fraction dead",
          series: layered { l in { $0.indicators?.layers[l].deadRate } })
      ),
      (
        "sensitivity",
        SVGPlot.lineChart(
          title: "Perturbation sensitivity ‖J·δ‖", xLabel: "epoch", yLabel: "sensitivity",
          series: series { $0.indicators?.sensitivityJacobian })
      ),
    ]
    if conditions.first?.results.first?.metrics.last?.indicators?.boundary != nil {
      plots.append(
        (
          "boundary-dimension",
          SVGPlot.lineChart(
            title: "Decision-boundary box-counting dimension", xLabel: "epoch", yLabel: "dimension",
            series: series { $0.indicators?.boundary?.dimension })
        ))
    }
    return plots
  }

  // MARK: HTML

  func html(plots: [(String, String)], images: [(condition: String, seed: UInt64, png: [UInt8])])
    -> String
  {
    let base = protocolDefinition.base
    var page = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>Criticality — seed experiment</title>
      <style>
      body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1020px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
      table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
      th, td { border: 1px solid #ccc; padding: 4px 9px; text-align: right; } th { background: #f3f3f3; }
      td:first-child, th:first-child { text-align: left; }
      .plots { display: flex; flex-wrap: wrap; gap: 12px; } .plots svg { border: 1px solid #eee; }
      .grid { display: grid; grid-template-columns: repeat(5, 1fr); gap: 8px; }
      .grid figure { margin: 0; } .grid img { width: 100%; image-rendering: pixelated; border: 1px solid #ccc; }
      figcaption { font-size: 0.8em; text-align: center; color: #555; }
      .statement { background: #f7f9fc; border-left: 4px solid #1f77b4; padding: 0.6em 1em; }
      .note { color: #555; font-size: 0.9em; }
      </style></head><body>
      <h1>Seed experiment: spectral penalty on two moons</h1>
      <p class="note">MLP \(([2] + base.hidden + [2]).map(String.init).joined(separator: "→")) \(base.activation.rawValue), \(base.initialization.rawValue) initialisation, Adam (lr \(base.learningRate)), mini-batch \(base.batchSize), \(base.epochs) epochs, \(protocolDefinition.seeds.count) seeds per condition; two moons with \(base.data.count) points, noise \(base.data.noise), \(Int((1 - base.data.testFraction) * 100))/\(Int(base.data.testFraction * 100)) split, one data set for all seeds. Indicators every \(base.indicators?.every ?? 0) epoch(s). Conditions: \(conditions.map(\.name).joined(separator: ", ")). Wall time \(String(format: "%.1f", seconds)) s.</p>
      <h2>What the numbers say</h2>
      <p class="statement">\(escape(statement()))</p>
      <h2>Final values</h2>
      <p class="note">\(escape(ComparisonTable.legend)) The baseline is \(escape(conditions.first?.name ?? "")); the table is one family of \(max(0, conditions.count - 1) * tableRows.count) comparisons.</p>
      """
    page += finalTable().html(layout: .groupsAsColumns, corner: "metric")
    page +=
      "<h2>Indicators over training</h2><p class=\"note\">Lines are means over seeds, bands 95 % confidence intervals. Dashed lines: the penalised condition.</p><div class=\"plots\">"
    for (_, svg) in plots { page += svg }
    page += "</div>"
    page += chiSection()
    page += dynamicsSection()
    page +=
      "<h2>Decision boundaries</h2><p class=\"note\">Final networks, one per condition and seed: class regions, the boundary in black, training points on top.</p>"
    for c in conditions {
      page += "<h3>\(escape(c.name))</h3><div class=\"grid\">"
      for image in images where image.condition == c.name {
        page +=
          "<figure><img alt=\"decision boundary, \(escape(c.name)), seed \(image.seed)\" src=\"data:image/png;base64,\(base64(image.png))\"><figcaption>seed \(image.seed)</figcaption></figure>"
      }
      page += "</div>"
    }
    page +=
      "<p class=\"note\">Generated by crit demo. Files: per-run metrics.csv, summary.json, model.safetensors under each condition's folder; plots/*.svg; boundaries/*.png.</p></body></html>\n"
    return page
  }

  /// Training dynamics and neural collapse per condition (when the runs recorded them).
  func dynamicsSection() -> String {
    let rows: [(String, (TrainingResult) -> Double?, String)] = [
      ("NC1 (last hidden layer, end)", { $0.neuralCollapse }, "%.3f"),
      ("loss DFA exponent α", { $0.dynamics?.lossDFA }, "%.3f"),
      ("loss rescaled-range Hurst H", { $0.dynamics?.lossRescaledRange }, "%.3f"),
      ("loss power-spectrum slope β", { $0.dynamics?.lossSpectrumSlope }, "%.3f"),
      ("Higuchi dimension of the loss path", { $0.dynamics?.lossHiguchi }, "%.3f"),
      ("loss autocorrelation time τ_int (steps)", { $0.dynamics?.lossAutocorrelationTime }, "%.2f"),
      ("update-size power-law α", { $0.dynamics?.updateSizeAlpha }, "%.2f"),
    ]
    let present = rows.filter { row in
      conditions.contains { $0.results.contains { row.1($0) != nil } }
    }
    guard !present.isEmpty else { return "" }
    var page =
      "<h2>Training dynamics</h2><p class=\"note\">Measured on each run's per-step mini-batch loss and update sizes ‖Δθ‖ (SPEC §5): a DFA α or Hurst H above 0.5 means long memory in the loss fluctuations, β the slope of their power spectrum (0 white, −1 1/f), τ_int the integrated autocorrelation time (critical slowing down lengthens it), and the power-law α of the update sizes' tail. NC1 (Papyan et al. 2020) falls toward 0 as the last hidden layer's features collapse onto their class means. Mean ± 95 % CI over seeds.</p><table><tr><th>measure</th>"
    for c in conditions { page += "<th>\(escape(c.name))</th>" }
    page += "</tr>"
    for (label, value, format) in present {
      page += "<tr><td>\(escape(label))</td>"
      for c in conditions {
        page +=
          "<td>\(formatInterval(MeanInterval(c.results.map { value($0) ?? .nan }), format))</td>"
      }
      page += "</tr>"
    }
    return page + "</table>"
  }

  func chiSection() -> String {
    var rows = ""
    for c in conditions {
      for l in 0..<hiddenLayers {
        let s = MeanInterval(c.finals(Self.sigma(l)))
        let x = MeanInterval(c.finals(Self.chi1(l)))
        rows +=
          "<tr><td>\(escape(c.name)), layer \(l + 1)</td><td>\(formatInterval(s, "%.3f"))</td><td>\(formatInterval(x, "%.3f"))</td></tr>"
      }
    }
    return """
      <h2>χ₁ beside σ_max: two different “critical” points</h2>
      <p>The penalty targets σ_max = 1, the <em>largest</em> singular value of a weight matrix. Mean-field theory puts the edge of chaos at χ₁ = σ_w² E[φ′(h)²] = 1, the <em>mean squared</em> singular value of the layer Jacobian D_l W_l (Poole et al. 2016; Schoenholz et al. 2017). For an n×n Gaussian matrix with entry variance σ_w²/n the largest singular value sits at the Marchenko–Pastur edge, σ_max ≈ 2σ_w, so σ_max = 1 means σ_w² ≈ 0.25 and χ₁ ≈ 0.125 for ReLU (0.25 for tanh): deep in the ordered phase. The two criteria agree only for orthogonal weights. The table shows both, measured on the final networks (χ₁ averaged over the training inputs).</p>
      <table><tr><th>layer</th><th>σ_max</th><th>χ₁</th></tr>\(rows)</table>
      """
  }
}

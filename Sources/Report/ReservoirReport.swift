import Experiments
import Foundation
import Statistics

/// The `reservoir` protocol's report (SPEC §7 protocol 5): echo-state memory capacity and
/// NARMA-10 error against the spectral radius, λ_max of random networks against the gain
/// (mean field beside simulation, driven and undriven), and trained RNNs with and without
/// recurrent spectral control (means ± 95 % CIs over seeds, paired differences against the
/// baseline with Holm-adjusted marks and Hedges' g).
public struct ReservoirReport {
  public var title: String
  public var description: String
  public var echoState: [EchoStatePoint]
  public var echoStateSweep: EchoStateSweep
  public var lyapunov: [LyapunovPoint]
  public var lyapunovSweep: LyapunovSweep
  public var recurrent: [RecurrentRunRecord]
  public var conditions: [String]
  public var tasks: [String]
  public var seconds: Double
  /// Memory capacity per radius from another implementation of the same protocol (name,
  /// radii, means), drawn beside ours.
  public var reference: (name: String, radii: [Double], memoryCapacity: [Double])?

  public init(
    title: String, description: String, echoState: [EchoStatePoint],
    echoStateSweep: EchoStateSweep, lyapunov: [LyapunovPoint], lyapunovSweep: LyapunovSweep,
    recurrent: [RecurrentRunRecord], conditions: [String], tasks: [String], seconds: Double,
    reference: (name: String, radii: [Double], memoryCapacity: [Double])? = nil
  ) {
    self.title = title
    self.description = description
    self.echoState = echoState
    self.echoStateSweep = echoStateSweep
    self.lyapunov = lyapunov
    self.lyapunovSweep = lyapunovSweep
    self.recurrent = recurrent
    self.conditions = conditions
    self.tasks = tasks
    self.seconds = seconds
    self.reference = reference
  }

  // MARK: Echo-state networks

  /// Spectral radii in increasing order.
  public var radii: [Double] { Array(Set(echoState.map(\.radius))).sorted() }

  /// MC over seeds at each radius.
  public var memoryCapacityByRadius: [MeanInterval] {
    radii.map { r in MeanInterval(echoState.filter { $0.radius == r }.map(\.memoryCapacity.total)) }
  }

  /// NARMA-10 NRMSE over seeds at each radius.
  public var narmaByRadius: [MeanInterval] {
    radii.map { r in
      MeanInterval(echoState.filter { $0.radius == r }.map { $0.narmaNRMSE ?? .nan })
    }
  }

  /// The radius with the largest mean MC, and that mean.
  public var peak: (radius: Double, memoryCapacity: Double)? {
    let means = memoryCapacityByRadius.map(\.mean)
    guard let i = means.indices.max(by: { means[$0] < means[$1] }) else { return nil }
    return (radii[i], means[i])
  }

  /// Rows for a terminal table: ρ, MC ± CI, NARMA NRMSE ± CI.
  public var echoStateRows: [[String]] {
    let mc = memoryCapacityByRadius
    let narma = narmaByRadius
    return radii.indices.map { i in
      [
        String(format: "%.2f", radii[i]), formatInterval(mc[i], "%.2f"),
        formatInterval(narma[i], "%.3f"),
      ]
    }
  }

  // MARK: Lyapunov exponents

  /// Rows: g, mean field and simulated λ_max undriven, then driven.
  public var lyapunovRows: [[String]] {
    let gains = Array(Set(lyapunov.map(\.gain))).sorted()
    return gains.map { g in
      var row = [String(format: "%g", g)]
      for driven in [false, true] {
        let points = lyapunov.filter { $0.gain == g && $0.driven == driven }
        let simulated = points.map(\.simulated).reduce(0, +) / Double(max(points.count, 1))
        let theory = lyapunovSweep.meanField(gain: g, driven: driven)
        row += [
          String(format: "%+.4f", theory), String(format: "%+.4f", simulated),
          String(format: "%+.4f", simulated - theory),
        ]
      }
      return row
    }
  }

  public static let lyapunovHeader = [
    "g", "λ mean field", "λ simulated", "diff", "λ mean field (driven)", "λ simulated (driven)",
    "diff (driven)",
  ]

  // MARK: Trained RNNs

  /// One outcome of a trained run.
  public struct Outcome: Sendable {
    public var name: String
    public var format: String
    public var higherIsBetter: Bool?
    public var value: @Sendable (RecurrentRunRecord) -> Double?
  }

  public static let outcomes: [Outcome] = [
    Outcome(
      name: "final test accuracy % (classification tasks)", format: "%.1f", higherIsBetter: true
    ) {
      $0.status == "completed" ? $0.metrics.last?.testAccuracy.map { 100 * $0 } : nil
    },
    Outcome(name: "final test NRMSE (regression tasks)", format: "%.3f", higherIsBetter: false) {
      $0.status == "completed" ? $0.metrics.last?.testNRMSE : nil
    },
    Outcome(name: "final spectral radius ρ(W_rec)", format: "%.3f", higherIsBetter: nil) {
      $0.metrics.last?.spectralRadius
    },
    Outcome(name: "final σ_max(W_rec)", format: "%.3f", higherIsBetter: nil) {
      $0.metrics.last?.sigmaMax
    },
    Outcome(name: "final recurrent χ₁ (test sequences)", format: "%.3f", higherIsBetter: nil) {
      $0.metrics.last?.chi1
    },
    Outcome(
      name: "λ_max of the trained network, driven by its task", format: "%+.3f", higherIsBetter: nil
    ) {
      $0.drivenLyapunovExponent
    },
  ]

  /// The runs of one cell, by seed.
  public func cell(_ condition: String, _ task: String) -> [RecurrentRunRecord] {
    recurrent.filter { $0.condition == condition && $0.task == task }.sorted { $0.seed < $1.seed }
  }

  /// Mean ± CI of an outcome in a cell.
  public func interval(_ outcome: Outcome, _ condition: String, _ task: String) -> MeanInterval {
    MeanInterval(
      cell(condition, task).filter { $0.status != "diverged" }.map { outcome.value($0) ?? .nan })
  }

  /// One outcome as a comparison table: rows conditions, columns tasks, each cell against the
  /// first condition on its task.
  public func comparisonTable(_ outcome: Outcome) -> ComparisonTable {
    ComparisonTable(
      groups: conditions,
      blocks: tasks.map {
        ComparisonTable.Block($0, format: outcome.format, higherIsBetter: outcome.higherIsBetter)
      },
      baseline: conditions.first
    ) { condition, task in
      cell(condition, tasks[task]).map {
        SeededValue(seed: $0.seed, value: outcome.value($0), diverged: $0.status == "diverged")
      }
    }
  }

  /// One outcome's table (rows conditions, columns tasks), each cell with its difference from
  /// the baseline (the first condition), Holm over the table, Hedges' g.
  public func table(_ outcome: Outcome) -> String {
    comparisonTable(outcome).html(corner: "condition")
  }

  /// Terminal rows: condition × task, the task's score (accuracy % or NRMSE) mean ± CI.
  public var recurrentRows: [[String]] {
    conditions.map { condition in
      [condition]
        + tasks.map { task in
          let runs = cell(condition, task)
          let classification = runs.contains { $0.metrics.last?.testAccuracy != nil }
          let outcome = Self.outcomes[classification ? 0 : 1]
          return formatInterval(interval(outcome, condition, task), outcome.format)
        }
    }
  }

  /// The 95 % band of a series of intervals (collapsed to the mean where there is none).
  static func band(_ intervals: [MeanInterval]) -> (lower: [Double], upper: [Double]) {
    (
      intervals.map { $0.halfWidth.isFinite ? $0.lower : $0.mean },
      intervals.map { $0.halfWidth.isFinite ? $0.upper : $0.mean }
    )
  }

  /// A per-epoch series of a cell as mean with a 95 % band.
  func curve(
    _ condition: String, _ task: String, color: String, _ value: (RecurrentEpochMetrics) -> Double?
  )
    -> PlotSeries?
  {
    let runs = cell(condition, task)
    let epochs = runs.map(\.metrics.count).max() ?? 0
    guard epochs > 0 else { return nil }
    let points = (0..<epochs).compactMap { e -> (epoch: Double, interval: MeanInterval)? in
      let interval = MeanInterval(
        runs.compactMap { e < $0.metrics.count ? value($0.metrics[e]) : nil })
      return interval.mean.isFinite ? (Double(e + 1), interval) : nil
    }
    return PlotSeries(
      name: condition, color: color, x: points.map(\.epoch), y: points.map(\.interval.mean),
      band: Self.band(points.map(\.interval)))
  }

  // MARK: Page

  public func html() -> String {
    var page =
      htmlPageHead(
        title: title,
      )
      + "<h1>\(escape(title))</h1><p class=\"note\">\(escape(description)) Computed in \(String(format: "%.1f", seconds)) s.</p>"
    page += echoStateSection() + lyapunovSection() + recurrentSection()
    return page + "</body></html>\n"
  }

  func echoStateSection() -> String {
    let s = echoStateSweep
    let r = s.reservoir
    var html = """
      <h2>Echo-state networks: memory capacity and NARMA-10 against the spectral radius</h2>
      <p class="note">N = \(r.units) \(r.activation.rawValue) units, W with N(0, 1) entries (connectivity \(r.connectivity)) rescaled to spectral radius ρ, input weights uniform on ±\(r.inputScaling), leak rate \(r.leakRate), bias scaling \(r.biasScaling); \(s.seeds.count) reservoirs (seeds) per ρ, the same base matrix scaled to every ρ. Memory capacity MC = Σ_{k=0}^{\(s.maxDelay)} r²(y_k(t), u(t−k)) with u i.i.d. uniform on [−1, 1]; ridge readout (β = \(s.readout.ridge), intercept) fitted on \(s.readout.train) steps after a washout of \(s.readout.washout), scored on the next \(s.readout.test). NARMA-10 error: normalised RMSE of y(t+1) on the test steps, input u ~ U[0, ½] through input weights scaled to ±\(s.narmaInputScaling). Bands: 95 % confidence intervals over reservoirs.</p>
      """
    if let peak {
      html +=
        "<p><b>Peak memory capacity \(String(format: "%.2f", peak.memoryCapacity)) at ρ = \(String(format: "%.2f", peak.radius))</b> (of at most N = \(r.units)).</p>"
    }
    html += "<div class=\"plots\">"
    let mc = memoryCapacityByRadius
    var series = [
      PlotSeries(
        name: "crit", color: SVGPlot.palette[0], x: radii, y: mc.map(\.mean),
        band: Self.band(mc))
    ]
    if let reference {
      series.append(
        PlotSeries(
          name: reference.name, color: SVGPlot.palette[1], x: reference.radii,
          y: reference.memoryCapacity, dashed: true))
    }
    html += SVGPlot.lineChart(
      title: "memory capacity", xLabel: "spectral radius ρ", yLabel: "MC", series: series,
      width: 520, height: 330)
    let narma = narmaByRadius
    if narma.contains(where: { $0.mean.isFinite }) {
      html += SVGPlot.lineChart(
        title: "NARMA-10 test error", xLabel: "spectral radius ρ", yLabel: "NRMSE",
        series: [
          PlotSeries(
            name: "NRMSE", color: SVGPlot.palette[2], x: radii, y: narma.map(\.mean),
            band: Self.band(narma))
        ], width: 520, height: 330)
    }
    // Memory profiles MC_k at a few radii.
    var shown = [0.5, 0.9, 1.3].compactMap { target in
      radii.min { abs($0 - target) < abs($1 - target) }
    }
    if let peak { shown.append(peak.radius) }
    shown = Array(Set(shown)).sorted()
    let profiles = shown.enumerated().map { i, radius in
      let points = echoState.filter { $0.radius == radius }
      let k = points.map(\.memoryCapacity.perDelay.count).min() ?? 0
      let mean = (0..<k).map { d in
        points.map { $0.memoryCapacity.perDelay[d] }.reduce(0, +) / Double(points.count)
      }
      let shownDelays = min(k, max(20, (mean.lastIndex { $0 > 0.01 } ?? 0) + 10))
      return PlotSeries(
        name: "ρ = \(String(format: "%.2f", radius))", color: SVGPlot.palette[i + 3],
        x: (0..<shownDelays).map(Double.init), y: Array(mean.prefix(shownDelays)))
    }
    html += SVGPlot.lineChart(
      title: "memory profile MC_k", xLabel: "delay k", yLabel: "MC_k", series: profiles, width: 520,
      height: 330)
    html += "</div><table><tr><th>ρ</th><th>MC (95 % CI)</th><th>NARMA-10 NRMSE</th>"
    if reference != nil { html += "<th>MC, \(escape(reference!.name))</th>" }
    html += "</tr>"
    for (i, row) in echoStateRows.enumerated() {
      html += "<tr>\(row.map { "<td>\($0)</td>" }.joined())"
      if let reference {
        let j = reference.radii.firstIndex { abs($0 - radii[i]) < 1e-9 }
        html += "<td>\(j.map { String(format: "%.2f", reference.memoryCapacity[$0]) } ?? "–")</td>"
      }
      html += "</tr>"
    }
    return html + "</table>"
  }

  func lyapunovSection() -> String {
    let s = lyapunovSweep
    var html = """
      <h2>Largest Lyapunov exponent of random tanh networks against the gain</h2>
      <p class="note">h_{t+1} = tanh(g W h_t + ξ_t), W_ij ~ N(0, 1/N), N = \(s.units); λ_max by the QR method over \(s.steps) steps after \(s.transient); undriven (ξ = 0) and driven by independent noise ξ ~ N(0, \(s.driveStandardDeviation)²). Mean field: λ = ½ ln(g² E[φ′(√q* z)²]), q* = g² E[φ(√q* z)²] + s² (s = 0 undriven). Negative: ordered; positive: chaotic.</p><div class="plots">
      """
    let gains = Array(Set(lyapunov.map(\.gain))).sorted()
    // From just below the smallest gain: λ → −∞ as g → 0 would flatten the interesting part.
    let low = 0.9 * (gains.first ?? 0.5)
    let high = 1.05 * (gains.last ?? 3)
    let fine = (0...120).map { low + (high - low) * Double($0) / 120 }
    var series: [PlotSeries] = []
    for (i, driven) in [false, true].enumerated() {
      let label = driven ? "driven" : "undriven"
      series.append(
        PlotSeries(
          name: "mean field, \(label)", color: SVGPlot.palette[i], x: fine,
          y: fine.map { s.meanField(gain: $0, driven: driven) }))
      series.append(
        PlotSeries(
          name: "simulated, \(label)", color: SVGPlot.palette[i], x: gains,
          y: gains.map { g in
            let p = lyapunov.filter { $0.gain == g && $0.driven == driven }
            return p.map(\.simulated).reduce(0, +) / Double(max(p.count, 1))
          }, dashed: true))
    }
    html += SVGPlot.lineChart(
      title: "λ_max: mean field (solid) and simulation (dashed)", xLabel: "gain g",
      yLabel: "λ_max per step", series: series,
      references: [ReferenceLine(y: 0, label: "edge of chaos")],
      width: 600, height: 360)
    html += "</div><table><tr>\(Self.lyapunovHeader.map { "<th>\($0)</th>" }.joined())</tr>"
    for row in lyapunovRows { html += "<tr>\(row.map { "<td>\($0)</td>" }.joined())</tr>" }
    return html + "</table>"
  }

  func recurrentSection() -> String {
    guard !recurrent.isEmpty, let first = recurrent.first?.configuration else { return "" }
    var html = """
      <h2>Trained RNNs with and without recurrent spectral control</h2>
      <p class="note">Vanilla tanh RNN, \(first.hidden) units, W_rec initialised N(0, g²/H) with g = \(first.gain), trained by \(first.truncation.map { "truncated BPTT (\($0) steps)" } ?? "full BPTT") with \(first.optimizer.kind.rawValue) (lr \(first.learningRate), batch \(first.batchSize), gradient clip \(first.gradientClip.map { String($0) } ?? "none")), \(first.epochs) epochs, \(first.trainSequences) training and \(first.testSequences) test sequences; seeds pair across conditions (same initial network). Conditions: \(conditions.joined(separator: ", ")) — penalties λ (m(W_rec) − τ)² on the spectral radius or σ_max; the adaptive target follows the recurrent χ₁. \(escape(ComparisonTable.legend)) The baseline is \(escape(conditions.first ?? "")). \(recurrent.count) runs, \(String(format: "%.0f", recurrent.map(\.seconds).reduce(0, +))) s of training in all (a run recorded by an earlier invocation is reused, not retrained).</p>
      """
    for outcome in Self.outcomes {
      html += "<h3>\(escape(outcome.name))</h3>" + table(outcome)
    }
    html += "<h3>Training curves</h3><div class=\"plots\">"
    for task in tasks {
      let classification = recurrent.contains {
        $0.task == task && $0.metrics.last?.testAccuracy != nil
      }
      let score = conditions.enumerated().compactMap { i, condition in
        curve(condition, task, color: SVGPlot.palette[i]) {
          classification ? $0.testAccuracy.map { 100 * $0 } : $0.testNRMSE
        }
      }
      html += SVGPlot.lineChart(
        title: "\(task): test \(classification ? "accuracy %" : "NRMSE")", xLabel: "epoch",
        yLabel: classification ? "accuracy %" : "NRMSE", series: score, width: 460, height: 300)
      let radius = conditions.enumerated().compactMap { i, condition in
        curve(condition, task, color: SVGPlot.palette[i]) { $0.spectralRadius }
      }
      html += SVGPlot.lineChart(
        title: "\(task): spectral radius of W_rec", xLabel: "epoch", yLabel: "ρ(W_rec)",
        series: radius, references: [ReferenceLine(y: 1, label: "ρ = 1")], width: 460, height: 300)
    }
    html += "</div>"
    // Lyapunov spectra of the trained networks.
    html +=
      "<h3>Lyapunov spectra of the trained networks, driven by their tasks</h3><div class=\"plots\">"
    for task in tasks {
      let series = conditions.enumerated().compactMap { i, condition -> PlotSeries? in
        let spectra = cell(condition, task).compactMap(\.drivenLyapunovSpectrum)
        guard let k = spectra.map(\.count).min(), k > 0 else { return nil }
        let intervals = (0..<k).map { j in MeanInterval(spectra.map { $0[j] }) }
        return PlotSeries(
          name: condition, color: SVGPlot.palette[i], x: (1...k).map(Double.init),
          y: intervals.map(\.mean),
          band: Self.band(intervals))
      }
      guard !series.isEmpty else { continue }
      html += SVGPlot.lineChart(
        title: "\(task): first Lyapunov exponents", xLabel: "index i", yLabel: "λ_i per step",
        series: series, references: [ReferenceLine(y: 0, label: "λ = 0")], width: 460, height: 300)
    }
    html += "</div>"
    // Memory curves of the multi-lag recall tasks.
    for task in tasks {
      let runs = recurrent.filter { $0.task == task && $0.metrics.last?.testAccuracyPerHead != nil }
      guard
        let (lags, classes) = runs.first.flatMap({ run -> ([Int], Int)? in
          if case .delayedRecall(let lags, let symbols) = run.configuration.task {
            return (lags, symbols)
          }
          return nil
        })
      else { continue }
      let series = conditions.enumerated().map { i, condition in
        let cellRuns = runs.filter { $0.condition == condition }
        let intervals = lags.indices.map { j in
          MeanInterval(
            cellRuns.compactMap { $0.metrics.last?.testAccuracyPerHead?[j] }.map { 100 * $0 })
        }
        return PlotSeries(
          name: condition, color: SVGPlot.palette[i], x: lags.map(Double.init),
          y: intervals.map(\.mean),
          band: Self.band(intervals))
      }
      html += "<h3>Memory curve of the trained networks (\(escape(task)))</h3><div class=\"plots\">"
      html += SVGPlot.lineChart(
        title: "final test accuracy by lag", xLabel: "lag", yLabel: "accuracy %", series: series,
        references: [ReferenceLine(y: 100 / Double(classes), label: "chance")], width: 560,
        height: 330)
      html += "</div>"
    }
    return html
  }
}

import Experiments
import Foundation
import Statistics

/// The report of the `asisr` protocol (SPEC §7 protocol 2): per outcome a condition × task
/// table of means with 95 % Student-t intervals and the difference from the unregularised
/// baseline, paired by seed, with marks after Holm's correction over the table; outcome-vs-τ
/// curves of the fixed-target penalty; the adaptive method's per-layer τ trajectories; and a
/// plain statement of which of the proposal's claims held.
public struct AsisrReport {
  /// One measured quantity of a run.
  public struct Outcome: Sendable {
    public var name: String
    public var format: String
    /// `true`/`false` when larger/smaller is better; `nil` for an indicator without a
    /// direction.
    public var higherIsBetter: Bool?
    public var value: @Sendable (ProtocolRun) -> Double?
  }

  public var title: String
  public var runs: [ProtocolRun]
  public var conditions: [String]
  public var tasks: [String]
  public var seconds: Double?
  public var description: String

  public init(
    title: String, runs: [ProtocolRun], conditions: [String], tasks: [String], seconds: Double?,
    description: String
  ) {
    self.title = title
    self.runs = runs
    self.conditions = conditions
    self.tasks = tasks
    self.seconds = seconds
    self.description = description
  }

  public static let baseline = "none"

  public static let outcomes: [Outcome] = [
    Outcome(name: "final test accuracy (%)", format: "%.2f", higherIsBetter: true) {
      $0.metrics.last?.testAccuracy.map { 100 * $0 }
    },
    Outcome(name: "best test accuracy (%)", format: "%.2f", higherIsBetter: true) {
      $0.metrics.compactMap(\.testAccuracy).max().map { 100 * $0 }
    },
    Outcome(name: "epochs to 95 % of final accuracy", format: "%.1f", higherIsBetter: false) {
      // Diverged runs have no meaningful final accuracy to reach.
      $0.status == "completed"
        ? epochsToReach(fraction: 0.95, of: $0.metrics).map(Double.init) : nil
    },
    Outcome(name: "accuracy under input noise σ = 0.1 (%)", format: "%.2f", higherIsBetter: true) {
      $0.summary?.robustness?.noise.first { $0.strength == 0.1 }?.accuracy.map { 100 * $0 }
    },
    Outcome(name: "accuracy under FGSM ε = 0.05 (%)", format: "%.2f", higherIsBetter: true) {
      $0.summary?.robustness?.fgsm.first { $0.strength == 0.05 }?.accuracy.map { 100 * $0 }
    },
    Outcome(name: "NC1 of the last hidden layer (final)", format: "%.3f", higherIsBetter: nil) {
      $0.summary?.neuralCollapse
    },
    Outcome(name: "mean χ₁ of the hidden layers (final)", format: "%.3f", higherIsBetter: nil) {
      run in
      guard let layers = run.metrics.last(where: { $0.indicators != nil })?.indicators?.layers
      else { return nil }
      let chis = layers.compactMap(\.chi1)
      return chis.isEmpty ? nil : chis.reduce(0, +) / Double(chis.count)
    },
  ]

  /// The runs of a table cell: a condition on a task (the fixed-τ condition at τ = 1).
  public func cell(_ condition: String, _ task: String) -> [ProtocolRun] {
    runs.filter {
      $0.condition == condition && $0.task == task && ($0.tau == nil || $0.tau == 1)
    }.sorted { $0.seed < $1.seed }
  }

  /// One outcome as a comparison table: rows conditions, columns tasks, each cell against the
  /// baseline condition on its task (`among`: the conditions shown, baseline first or not).
  public func comparisonTable(
    _ outcome: Outcome, among shown: [String]? = nil, baseline: String = Self.baseline
  ) -> ComparisonTable {
    ComparisonTable(
      groups: shown ?? conditions,
      blocks: tasks.map {
        ComparisonTable.Block($0, format: outcome.format, higherIsBetter: outcome.higherIsBetter)
      },
      baseline: baseline
    ) { condition, task in
      cell(condition, tasks[task]).map {
        SeededValue(seed: $0.seed, value: outcome.value($0), diverged: $0.status == "diverged")
      }
    }
  }

  /// One outcome's table: rows conditions, columns tasks; Holm over every comparison in it.
  public func table(_ outcome: Outcome) -> String {
    comparisonTable(outcome).html(corner: "condition")
  }

  /// A claim of the proposal: `condition` beats `reference` on `outcome`.
  struct Claim {
    var statement: String
    var condition: String
    var reference: String
    var outcome: Int
  }

  static let claims = [
    Claim(
      statement:
        "Adaptive targets (ASISR) reach a higher final test accuracy than the fixed target τ = 1.",
      condition: "adaptive", reference: "fixed-tau", outcome: 0),
    Claim(
      statement: "Adaptive targets reach a higher final test accuracy than no regularisation.",
      condition: "adaptive", reference: "none", outcome: 0),
    Claim(
      statement:
        "The critical learning rate reaches 95 % of its final accuracy in fewer epochs than the baseline.",
      condition: "critical-lr", reference: "none", outcome: 2),
    Claim(
      statement:
        "Depth-dependent (RG-flow) targets are more robust to FGSM (ε = 0.05) than the fixed target.",
      condition: "rg-flow", reference: "fixed-tau", outcome: 4),
    Claim(
      statement: "Adaptive targets are more robust to FGSM (ε = 0.05) than no regularisation.",
      condition: "adaptive", reference: "none", outcome: 4),
    Claim(
      statement:
        "The Jacobian χ₁ penalty reaches a higher final test accuracy than no regularisation.",
      condition: "jacobian-chi1", reference: "none", outcome: 0),
  ]

  /// Each claim, tested on every task (paired by seed, Holm over the tasks): it held where it
  /// improved significantly and nowhere got significantly worse.
  public func verdicts() -> [(statement: String, verdict: String, detail: String)] {
    Self.claims.compactMap { claim in
      guard conditions.contains(claim.condition), conditions.contains(claim.reference) else {
        return nil
      }
      let outcome = Self.outcomes[claim.outcome]
      let table = comparisonTable(
        outcome, among: [claim.reference, claim.condition], baseline: claim.reference)
      var better: [String] = []
      var worse: [String] = []
      var details: [String] = []
      for (i, task) in tasks.enumerated() {
        let cell = table.cells[1][i]
        guard let c = cell.comparison, c.difference.isFinite, c.pValue.isFinite else { continue }
        let improves = (c.difference > 0) == (outcome.higherIsBetter ?? true)
        if cell.adjustedP < 0.05 {
          if improves { better.append(task) } else { worse.append(task) }
        }
        details.append(
          "\(task) \(signed(c.difference, outcome.format)) (Holm p = \(String(format: "%.3g", cell.adjustedP)))"
        )
      }
      let verdict: String
      switch (better.isEmpty, worse.isEmpty) {
      case (false, true): verdict = "held on \(better.joined(separator: ", "))"
      case (false, false):
        verdict =
          "mixed: better on \(better.joined(separator: ", ")), worse on \(worse.joined(separator: ", "))"
      case (true, false): verdict = "did not hold: worse on \(worse.joined(separator: ", "))"
      case (true, true):
        verdict =
          details.isEmpty
          ? "not tested: no task had runs of both conditions with this outcome"
          : "did not hold: no significant difference on any task"
      }
      return (claim.statement, verdict, details.joined(separator: "; "))
    }
  }

  /// Outcome-vs-τ curves of the fixed-target penalty, one line per task.
  func tauCurve(_ outcome: Outcome) -> String? {
    let curveRuns = runs.filter { $0.condition == "fixed-tau" && $0.tau != nil }
    let taus = Set(curveRuns.compactMap(\.tau)).sorted()
    guard taus.count >= 2 else { return nil }
    let series = tasks.enumerated().compactMap { i, task -> PlotSeries? in
      let intervals = taus.map { tau in
        MeanInterval(
          curveRuns.filter { $0.task == task && $0.tau == tau && $0.status != "diverged" }
            .map { outcome.value($0) ?? .nan })
      }
      guard intervals.contains(where: { $0.mean.isFinite }) else { return nil }
      return PlotSeries(
        name: task, color: SVGPlot.palette[i % SVGPlot.palette.count], x: taus,
        y: intervals.map(\.mean),
        band: (
          intervals.map { $0.halfWidth.isFinite ? $0.lower : $0.mean },
          intervals.map { $0.halfWidth.isFinite ? $0.upper : $0.mean }
        ))
    }
    return SVGPlot.lineChart(
      title: "\(outcome.name) vs τ (fixed-target penalty)", xLabel: "target τ",
      yLabel: outcome.name, series: series)
  }

  /// The adaptive method's τ_l per epoch (mean over seeds), one chart per task.
  func adaptiveTrajectories(_ task: String) -> String? {
    let adaptive = runs.filter { $0.condition == "adaptive" && $0.task == task }
    // Each epoch averages the runs that reached it (a diverged run stops early).
    let epochs = adaptive.map(\.metrics.count).max() ?? 0
    let layers = adaptive.compactMap { $0.metrics.last?.targets?.count }.max() ?? 0
    guard epochs > 0, layers > 0 else { return nil }
    let series = (0..<layers).map { l -> PlotSeries in
      let intervals = (0..<epochs).map { e in
        MeanInterval(
          adaptive.map { run in
            guard e < run.metrics.count, let targets = run.metrics[e].targets, l < targets.count
            else { return .nan }
            return targets[l]
          })
      }
      return PlotSeries(
        name: "τ_\(l)", color: SVGPlot.palette[l % SVGPlot.palette.count],
        x: (1...epochs).map(Double.init), y: intervals.map(\.mean))
    }
    return SVGPlot.lineChart(
      title: "adaptive τ per layer — \(task)", xLabel: "epoch", yLabel: "τ_l (mean over seeds)",
      series: series, references: [ReferenceLine(y: 1, label: "τ = 1")])
  }

  /// The whole page.
  public func html() -> String {
    var page =
      htmlPageHead(
        title: title, maxWidth: 1180,
        extraStyle: "li{margin-bottom:.5em}"
      )
        + """
        <h1>\(escape(title))</h1>
        <p class="note">\(escape(description)) \(runs.count) runs\(seconds.map { String(format: ", %.0f s of wall time in the last invocation", $0) } ?? "").</p>
        <h2>Which claims held</h2><ul>
        """
    for v in verdicts() {
      page +=
        "<li><b>\(escape(v.statement))</b> — \(escape(v.verdict)).<br><span class=\"note\">\(escape(v.detail))</span></li>"
    }
    page += """
      </ul><p class="note">Each claim is tested on every task with a paired t-test by seed (Welch's test where the seeds do not pair), Holm-corrected over the tasks; it holds where the difference is significant at 0.05 in its favour and nowhere significant against it.</p>
      <h2>Outcomes by condition and task</h2>
      <p class="note">\(escape(ComparisonTable.legend)) The baseline is <i>none</i>; each table is one family of \(max(0, conditions.count - 1) * tasks.count) comparisons; green where a significant difference is an improvement, red where it is not. The fixed-τ row is τ = 1.</p>
      """
    for outcome in Self.outcomes {
      page += "<h3>\(escape(outcome.name))</h3>" + table(outcome)
    }
    let curves = [Self.outcomes[0], Self.outcomes[4]].compactMap { tauCurve($0) }
    if !curves.isEmpty {
      page += "<h2>Outcome against the target τ</h2><div class=\"plots\">"
      page += curves.joined() + "</div>"
    }
    let trajectories = tasks.compactMap { adaptiveTrajectories($0) }
    if !trajectories.isEmpty {
      page += "<h2>Adaptive targets: τ per layer during training</h2><div class=\"plots\">"
      page += trajectories.joined() + "</div>"
    }
    return page + "</body></html>\n"
  }
}

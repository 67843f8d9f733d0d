import ArgumentParser
import Experiments
import Foundation
import Report
import Statistics
import Sweeps

/// `crit report STORE`: an HTML report of a sweep — groups of runs (by chosen keys) with
/// confidence intervals, outcome-vs-parameter plots, and paired tests against a baseline.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Write an HTML report of a sweep from a results store.")

  @Argument(help: "Results store URL (sqlite:PATH).")
  var store: String

  @Option(help: "Sweep name (default: the store's only or latest sweep).")
  var sweep: String?

  @Option(help: "Group runs by these axis keys, comma-separated (default: every axis but seed).")
  var groupBy: String?

  @Option(help: "The baseline group, as key=value[,key=value] (default: the first group).")
  var baseline: String?

  @Option(help: "Output file (default: report-<sweep>.html beside a SQLite store).")
  var out: String?

  func run() throws {
    let results = try openStore(store, mustExist: true)
    let sweeps = try results.sweeps()
    guard let name = sweep ?? sweeps.last else {
      throw ValidationError("\(store): the store holds no sweep")
    }
    guard sweeps.contains(name) else {
      throw ValidationError(
        "--sweep \(name): no such sweep in \(store) (it has: \(sweeps.joined(separator: ", ")))")
    }
    let runs = try results.runs(sweep: name).filter {
      $0.status == "completed" || $0.status == "diverged"
    }
    guard !runs.isEmpty else {
      throw ValidationError("\(store): sweep \(name) has no finished run yet")
    }
    try OutputPath.checkFile(out ?? defaultPath(name), option: "--out")
    let axes = Set(runs.flatMap(\.assignments.keys)).subtracting(["seed"]).sorted()
    let keys =
      try groupBy.map { list in
        try list.split(separator: ",").map { key -> String in
          let key = String(key).trimmingCharacters(in: .whitespaces)
          guard axes.contains(key) else {
            throw ValidationError(
              "--group-by \(key): not an axis of \(name) (axes: \(axes.joined(separator: ", ")))")
          }
          return key
        }
      } ?? axes
    let report = SweepReport(name: name, runs: runs, keys: keys, baseline: baseline)
    _ = try report.baselineGroupIndex(report.groups)
    let path = out ?? defaultPath(name)
    try report.html().write(toFile: path, atomically: true, encoding: .utf8)
    print(path)
  }

  func defaultPath(_ name: String) -> String {
    let base = store.hasPrefix("sqlite:") ? String(store.dropFirst(7)) : store
    return URL(fileURLWithPath: base).deletingLastPathComponent().appendingPathComponent(
      "report-\(name).html"
    ).path
  }
}

/// The sweep report's content.
struct SweepReport {
  var name: String
  var runs: [StoredRun]
  var keys: [String]
  var baseline: String?

  func groupKey(_ run: StoredRun) -> String {
    keys.map { "\($0)=\(run.assignments[$0] ?? "–")" }.joined(separator: " ")
  }

  var groups: [(key: String, runs: [StoredRun])] {
    var order: [String] = []
    var members: [String: [StoredRun]] = [:]
    for run in runs {
      let key = groupKey(run)
      if members[key] == nil { order.append(key) }
      members[key, default: []].append(run)
    }
    return order.map { ($0, members[$0]!) }
  }

  /// The group `baseline` names (`key=value[,key=value]`, in any order, each key one of the
  /// grouping keys), the first group without one; an error lists the groups when none matches.
  func baselineGroupIndex(_ groups: [(key: String, runs: [StoredRun])]) throws -> Int {
    guard let baseline else { return 0 }
    var wanted: [String: String] = [:]
    for part in baseline.split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard pair.count == 2, keys.contains(pair[0]) else {
        throw ValidationError(
          "--baseline \(baseline): expected key=value[,key=value] with keys among \(keys.joined(separator: ", "))"
        )
      }
      wanted[pair[0]] = pair[1]
    }
    if let index = groups.firstIndex(where: { group in
      wanted.allSatisfy { group.runs[0].assignments[$0.key] == $0.value }
    }) {
      return index
    }
    throw ValidationError(
      "--baseline \(baseline): no group matches; the groups are \(groups.map { $0.key.replacingOccurrences(of: " ", with: ",") }.joined(separator: "; "))"
    )
  }

  static func accuracy(_ run: StoredRun) -> Double? {
    run.metrics.last?.testAccuracy.map { 100 * $0 }
  }

  func html() -> String {
    let groups = self.groups
    let base = groups[(try? baselineGroupIndex(groups)) ?? 0]
    var page =
      htmlPageHead(title: "Sweep \(name)", maxWidth: 1020)
        + """
        <h1>Sweep \(escape(name))</h1>
        <p class="note">\(runs.count) finished runs in \(groups.count) groups (grouped by \(keys.isEmpty ? "nothing" : keys.joined(separator: ", "))). Baseline: \(escape(base.key.isEmpty ? "(all runs)" : base.key)). Final values, mean ± 95 % Student-t interval over the group's runs; against the baseline: a paired t-test when every run of the group has a baseline run with the same seed, else Welch's t-test; Hedges' g is the effect size; marks use Holm-adjusted p-values over the groups (* p &lt; 0.05, ** p &lt; 0.01, *** p &lt; 0.001).</p>
        <table><tr><th>group</th><th>runs</th><th>diverged</th><th>test accuracy (%)</th><th>test loss</th><th>vs baseline</th></tr>
        """
    let comparisons = groups.map { $0.key == base.key ? nil : compare($0.runs, with: base.runs) }
    let adjusted = holmAdjusted(comparisons.map { $0?.pValue ?? .nan })
    for (g, group) in groups.enumerated() {
      let acc = MeanInterval(group.runs.map { Self.accuracy($0) ?? .nan })
      let loss = MeanInterval(group.runs.map { $0.metrics.last?.testLoss ?? .nan })
      let diverged = group.runs.filter { $0.status == "diverged" }.count
      var versus = "–"
      if let comparison = comparisons[g], comparison.pValue.isFinite {
        versus =
          String(format: "%+.2f (", comparison.difference) + comparison.test.rawValue
          + String(
            format: " p = %.3g, Holm %.3g, g = %.2f)", comparison.pValue, adjusted[g],
            comparison.hedgesG) + significanceMarks(adjusted[g])
      }
      page +=
        "<tr><td>\(escape(group.key.isEmpty ? "(all runs)" : group.key))</td><td>\(group.runs.count)</td><td>\(diverged)</td><td>\(format(acc, "%.2f"))</td><td>\(format(loss, "%.4f"))</td><td>\(versus)</td></tr>"
    }
    page += "</table><h2>Outcome against each parameter</h2><div class=\"plots\">"
    for key in keys {
      if let plot = plot(against: key) { page += plot }
    }
    page += "</div></body></html>\n"
    return page
  }

  /// Final test accuracy of `runs` against `baseline` (paired by seed where possible).
  func compare(_ runs: [StoredRun], with baseline: [StoredRun]) -> BaselineComparison {
    BaselineComparison(
      values: runs.map { Self.accuracy($0) ?? .nan }, seeds: runs.map(\.configuration.seed),
      baseline: baseline.map { Self.accuracy($0) ?? .nan },
      baselineSeeds: baseline.map(\.configuration.seed))
  }

  func format(_ interval: MeanInterval, _ f: String) -> String {
    guard interval.mean.isFinite else { return "–" }
    return String(format: f, interval.mean)
      + (interval.halfWidth.isFinite ? " ± " + String(format: f, interval.halfWidth) : "")
  }

  /// Final test accuracy against a numeric axis, one line per combination of the other keys.
  func plot(against key: String) -> String? {
    let values = Set(runs.compactMap { $0.assignments[key] })
    guard values.count >= 2, values.allSatisfy({ Double($0) != nil }) else { return nil }
    let others = keys.filter { $0 != key }
    var lines: [String: [Double: [Double]]] = [:]
    for run in runs {
      guard let x = run.assignments[key].flatMap(Double.init), let y = Self.accuracy(run) else {
        continue
      }
      let line = others.map { "\($0)=\(run.assignments[$0] ?? "–")" }.joined(separator: " ")
      lines[line, default: [:]][x, default: []].append(y)
    }
    let series = lines.keys.sorted().enumerated().map { i, line -> PlotSeries in
      let points = lines[line]!.keys.sorted()
      let intervals = points.map { MeanInterval(lines[line]![$0]!) }
      return PlotSeries(
        name: line.isEmpty ? "all runs" : line, color: SVGPlot.palette[i % SVGPlot.palette.count],
        x: points, y: intervals.map(\.mean),
        band: (
          intervals.map { $0.halfWidth.isFinite ? $0.lower : $0.mean },
          intervals.map { $0.halfWidth.isFinite ? $0.upper : $0.mean }
        ))
    }
    return SVGPlot.lineChart(
      title: "Final test accuracy vs \(key)", xLabel: key, yLabel: "test accuracy (%)",
      series: series)
  }
}

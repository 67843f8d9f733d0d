import Experiments
import Foundation
import Report
import Statistics

/// The report of a sweep: its finished runs grouped by axis keys, one comparison table of
/// final test accuracy and loss against a baseline group (``ComparisonTable``: paired by seed
/// where the runs pair, Welch otherwise, Holm over the table, Hedges' g), and outcome-vs-axis
/// plots with 95 % bands.
public struct SweepReport {
  public var name: String
  public var runs: [StoredRun]
  public var keys: [String]
  /// The baseline group as `key=value[,key=value]`; `nil`: the first group.
  public var baseline: String?

  public init(name: String, runs: [StoredRun], keys: [String], baseline: String?) {
    self.name = name
    self.runs = runs
    self.keys = keys
    self.baseline = baseline
  }

  func groupKey(_ run: StoredRun) -> String {
    keys.map { "\($0)=\(run.assignments[$0] ?? "–")" }.joined(separator: " ")
  }

  public var groups: [(key: String, runs: [StoredRun])] {
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
  public func baselineGroupIndex(_ groups: [(key: String, runs: [StoredRun])]) throws -> Int {
    guard let baseline else { return 0 }
    var wanted: [String: String] = [:]
    for part in baseline.split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard pair.count == 2, keys.contains(pair[0]) else {
        throw ConfigurationFileError(
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
    throw ConfigurationFileError(
      "--baseline \(baseline): no group matches; the groups are \(groups.map { $0.key.replacingOccurrences(of: " ", with: ",") }.joined(separator: "; "))"
    )
  }

  static func accuracy(_ run: StoredRun) -> Double? {
    run.metrics.last?.testAccuracy.map { 100 * $0 }
  }

  /// Final test accuracy and loss by group, against the baseline group.
  public func comparisonTable() -> ComparisonTable {
    let groups = self.groups
    let base = groups[(try? baselineGroupIndex(groups)) ?? 0]
    let outcomes: [(StoredRun) -> Double?] = [Self.accuracy, { $0.metrics.last?.testLoss }]
    return ComparisonTable(
      groups: groups.map { Self.label($0.key) },
      blocks: [
        ComparisonTable.Block("test accuracy (%)", format: "%.2f", higherIsBetter: true),
        ComparisonTable.Block("test loss", format: "%.4f", higherIsBetter: false),
      ],
      baseline: Self.label(base.key)
    ) { label, block in
      let runs = groups.first { Self.label($0.key) == label }?.runs ?? []
      return runs.map {
        SeededValue(
          seed: $0.configuration.seed, value: outcomes[block]($0), diverged: $0.status == "diverged"
        )
      }
    }
  }

  /// A group's name in tables: its key, or "(all runs)" when nothing groups the runs.
  static func label(_ key: String) -> String { key.isEmpty ? "(all runs)" : key }

  public func html() -> String {
    let groups = self.groups
    let base = groups[(try? baselineGroupIndex(groups)) ?? 0]
    return htmlPageHead(title: "Sweep \(name)", maxWidth: 1020)
      + """
      <h1>Sweep \(escape(name))</h1>
      <p class="note">\(runs.count) finished runs in \(groups.count) groups (grouped by \(keys.isEmpty ? "nothing" : keys.joined(separator: ", "))). Baseline: \(escape(Self.label(base.key))). Final values. \(escape(ComparisonTable.legend))</p>
      """ + comparisonTable().html(corner: "group")
      + "<h2>Outcome against each parameter</h2><div class=\"plots\">"
      + keys.compactMap { plot(against: $0) }.joined() + "</div></body></html>\n"
  }

  /// Final test accuracy against a numeric axis, one line per combination of the other keys.
  func plot(against key: String) -> String? {
    let values = Set(runs.compactMap { $0.assignments[key] })
    guard values.count >= 2, values.allSatisfy({ Double($0) != nil }) else { return nil }
    let others = keys.filter { $0 != key }
    var lines: [String: [Double: [Double]]] = [:]
    for run in runs {
      guard run.status != "diverged", let x = run.assignments[key].flatMap(Double.init),
        let y = Self.accuracy(run)
      else {
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

import Experiments
import Foundation
import Report
import Statistics
import Trainability

/// The report of a sweep of any kind: its finished runs grouped by axis keys, one comparison
/// table of the kind's summary numbers (``ExperimentKind/reportColumns``: final test accuracy
/// and loss for networks, converged fraction and boundary dimension for trainability frames)
/// against a baseline group (``ComparisonTable``: paired by seed where the runs pair, Welch
/// otherwise, Holm over the table, Hedges' g), and outcome-vs-axis plots with 95 % bands.
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

  /// The summary numbers compared: the runs' kind's report columns.
  public var columns: [ReportColumn] {
    let kind = runs.first?.kind ?? ExperimentKinds.defaultName
    return (ExperimentKinds.all.first { $0.name == kind } ?? ExperimentKinds.mlp).reportColumns
  }

  /// A column's value for a run, scaled as shown; nil when the run has none.
  static func value(_ run: StoredRun, _ column: ReportColumn) -> Double? {
    run.values[column.key].map { column.scale * $0 }
  }

  /// The kind's summary numbers by group, against the baseline group.
  public func comparisonTable() -> ComparisonTable {
    let groups = self.groups
    let base = groups[(try? baselineGroupIndex(groups)) ?? 0]
    let columns = self.columns
    return ComparisonTable(
      groups: groups.map { Self.label($0.key) },
      blocks: columns.map {
        ComparisonTable.Block($0.title, format: $0.format, higherIsBetter: $0.higherIsBetter)
      },
      baseline: Self.label(base.key)
    ) { label, block in
      let runs = groups.first { Self.label($0.key) == label }?.runs ?? []
      return runs.map {
        SeededValue(
          seed: $0.seed, value: Self.value($0, columns[block]), diverged: $0.status == "diverged")
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
      + frameImages() + outcomePlots() + "</body></html>\n"
  }

  /// The first report column against each numeric axis; empty when no axis is numeric.
  func outcomePlots() -> String {
    let plots = keys.compactMap { plot(against: $0) }
    guard !plots.isEmpty else { return "" }
    return "<h2>Outcome against each parameter</h2><div class=\"plots\">" + plots.joined()
      + "</div>"
  }

  /// For trainability frames: every group's frames as images (converged blue, diverged red),
  /// from the records' pixels; empty for other kinds.
  func frameImages() -> String {
    guard runs.first?.kind == TrainabilityFrameKind.name else { return "" }
    var html = "<h2>Frames</h2>"
    var described = false
    for group in groups {
      let figures = group.runs.compactMap { run -> String? in
        guard let detail = run.detail,
          let frame = try? JSONDecoder.forRuns.decode(
            TrainabilityFrame.self, from: Foundation.Data(detail.utf8))
        else { return nil }
        return
          "<figure><img alt=\"frame, \(escape(Self.label(group.key))), seed \(run.seed)\" style=\"width:160px;image-rendering:pixelated\" src=\"data:image/png;base64,\(base64(TrainabilityColors.png(frame)))\"><figcaption>seed \(run.seed)</figcaption></figure>"
      }
      guard !figures.isEmpty else { continue }
      if !described, let run = group.runs.first, let detail = run.detail,
        let frame = try? JSONDecoder.forRuns.decode(
          TrainabilityFrame.self, from: Foundation.Data(detail.utf8))
      {
        described = true
        html += String(
          format:
            "<p class=\"note\">Horizontal: %@ from %.3g to %.3g; vertical: %@ from %.3g to %.3g (bottom to top). Converged pixels blue, diverged red, paler near the boundary.</p>",
          escape(frame.setup.axes.0), frame.view.uLower, frame.view.uUpper,
          escape(frame.setup.axes.1), frame.view.vLower, frame.view.vUpper)
      }
      html +=
        "<h3>\(escape(Self.label(group.key)))</h3><div class=\"plots\">\(figures.joined())</div>"
    }
    return html
  }

  /// The first report column (final test accuracy for networks) against a numeric axis, one
  /// line per combination of the other keys.
  func plot(against key: String) -> String? {
    guard let column = columns.first else { return nil }
    let values = Set(runs.compactMap { $0.assignments[key] })
    guard values.count >= 2, values.allSatisfy({ Double($0) != nil }) else { return nil }
    let others = keys.filter { $0 != key }
    var lines: [String: [Double: [Double]]] = [:]
    for run in runs {
      guard run.status != "diverged", let x = run.assignments[key].flatMap(Double.init),
        let y = Self.value(run, column), y.isFinite
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
      title: "Final \(column.title) vs \(key)", xLabel: key, yLabel: column.title,
      series: series)
  }
}

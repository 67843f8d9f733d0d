import Foundation
import Statistics

/// The one comparison table of every report (demo, ASISR, reservoir, sweep, trainability):
/// groups (conditions) compared with a baseline group within blocks (tasks, metrics), each
/// cell the mean ± 95 % Student-t interval of the runs that count, and each non-baseline cell
/// its difference from the baseline's cell in the same block.
///
/// The statistics follow ``BaselineComparison/init(_:against:)``: a diverged run or one without
/// a finite value is left out (and counted in the cell); a paired t-test over complete pairs
/// when the runs pair by seed, Welch's t-test otherwise; Hedges' g. Marks and verdicts use
/// Holm's correction (Holm 1979) over every comparison the table shows: the table is the
/// family.
public struct ComparisonTable: Sendable {
  /// A block of cells (a task, a metric) with its number format and direction.
  public struct Block: Sendable {
    public var name: String
    /// A printf format for one number, e.g. `%.2f`.
    public var format: String
    /// `true`/`false` when larger/smaller is better; `nil` when the outcome has no direction.
    public var higherIsBetter: Bool?

    public init(_ name: String, format: String, higherIsBetter: Bool? = nil) {
      self.name = name
      self.format = format
      self.higherIsBetter = higherIsBetter
    }
  }

  /// One group's runs in one block, and their comparison with the baseline's.
  public struct Cell: Sendable {
    public var values: [SeededValue]
    /// Mean ± 95 % interval of the runs that count.
    public var interval: MeanInterval
    /// Runs that diverged.
    public var diverged: Int
    /// Runs that did not diverge but have no finite value.
    public var missing: Int
    /// The test against the baseline (`nil` for the baseline and where no test can run).
    public var comparison: BaselineComparison?
    /// The comparison's Holm-adjusted p-value over the table (NaN without a comparison).
    public var adjustedP: Double
  }

  /// Which way the groups run in the rendered table.
  public enum Layout: Sendable {
    case groupsAsRows
    case groupsAsColumns
  }

  public let groups: [String]
  public let blocks: [Block]
  /// The baseline group's index (`nil`: no comparisons, means only).
  public let baseline: Int?
  /// `cells[group][block]`.
  public let cells: [[Cell]]

  /// Builds the table from each group's runs in each block.
  public init(
    groups: [String], blocks: [Block], baseline: String?,
    values: (_ group: String, _ block: Int) -> [SeededValue]
  ) {
    self.groups = groups
    self.blocks = blocks
    let baselineIndex = baseline.flatMap { groups.firstIndex(of: $0) }
    self.baseline = baselineIndex
    let runs = groups.map { group in blocks.indices.map { values(group, $0) } }
    let comparisons: [[BaselineComparison?]] = runs.indices.map { g in
      blocks.indices.map { b in
        guard let baselineIndex, g != baselineIndex else { return nil }
        return BaselineComparison(runs[g][b], against: runs[baselineIndex][b])
      }
    }
    // Holm over every test the table shows, in group-major order.
    let flat = comparisons.flatMap { $0.map { $0?.pValue ?? .nan } }
    let adjusted = holmAdjusted(flat)
    cells = runs.indices.map { g in
      blocks.indices.map { b in
        let v = runs[g][b]
        let diverged = v.filter(\.diverged).count
        return Cell(
          values: v, interval: MeanInterval(v.compactMap(\.usable)), diverged: diverged,
          missing: v.count - diverged - v.compactMap(\.usable).count,
          comparison: comparisons[g][b], adjustedP: adjusted[g * blocks.count + b])
      }
    }
  }

  /// The cell of `group` in block `block`.
  public func cell(_ group: String, _ block: Int) -> Cell? {
    groups.firstIndex(of: group).map { cells[$0][block] }
  }

  /// The one sentence every report prints under a comparison table.
  public static let legend =
    "Mean ± half-width of the 95 % Student-t interval over the runs that count; a diverged run, or one without a finite value, is left out and counted in its cell. Below each cell: the difference from the baseline (a paired t-test over the seeds both runs count for when the runs pair by seed, else Welch's t-test), its p-value, the Holm-adjusted p-value over every comparison in the table, and Hedges' g; marks on the Holm-adjusted p: * p < 0.05, ** p < 0.01, *** p < 0.001."

  // MARK: Rendering

  /// The cell's mean ± interval with its left-out runs, as plain text.
  public func summaryText(_ g: Int, _ b: Int) -> String {
    let cell = cells[g][b]
    var text = formatInterval(cell.interval, blocks[b].format)
    var notes: [String] = []
    if cell.diverged > 0 { notes.append("\(cell.diverged) diverged") }
    if cell.missing > 0 { notes.append("\(cell.missing) missing") }
    if !notes.isEmpty { text += " (\(notes.joined(separator: ", ")))" }
    return text
  }

  /// The difference from the baseline with its test, as plain text (`nil` without a test).
  public func comparisonText(_ g: Int, _ b: Int) -> String? {
    let cell = cells[g][b]
    guard let c = cell.comparison, c.difference.isFinite else { return nil }
    let g = c.hedgesG.isFinite ? String(format: "%.2f", c.hedgesG) : "–"
    return
      "\(signed(c.difference, blocks[b].format))\(significanceMarks(cell.adjustedP)) (\(c.test.rawValue) p = \(String(format: "%.3g", c.pValue)), Holm \(String(format: "%.3g", cell.adjustedP)), g = \(g))"
  }

  /// Plain-text rows for a terminal table: a header and one row per group (or block).
  public func textTable(layout: Layout = .groupsAsRows, corner: String) -> (
    header: [String], rows: [[String]]
  ) {
    func text(_ g: Int, _ b: Int) -> String {
      summaryText(g, b) + (comparisonText(g, b).map { " Δ " + $0 } ?? "")
    }
    switch layout {
    case .groupsAsRows:
      return (
        [corner] + blocks.map(\.name),
        groups.indices.map { g in [groups[g]] + blocks.indices.map { text(g, $0) } }
      )
    case .groupsAsColumns:
      return (
        [corner] + groups,
        blocks.indices.map { b in [blocks[b].name] + groups.indices.map { text($0, b) } }
      )
    }
  }

  /// The HTML table; cells that differ significantly (Holm) from the baseline are coloured
  /// better or worse where the block has a direction.
  public func html(layout: Layout = .groupsAsRows, corner: String) -> String {
    func cellHTML(_ g: Int, _ b: Int) -> String {
      let cell = cells[g][b]
      var html = escape(formatInterval(cell.interval, blocks[b].format))
      var notes: [String] = []
      if cell.diverged > 0 { notes.append("\(cell.diverged) diverged") }
      if cell.missing > 0 { notes.append("\(cell.missing) missing") }
      if !notes.isEmpty {
        html += " <span class=\"warn\">(\(notes.joined(separator: ", ")))</span>"
      }
      if let text = comparisonText(g, b), let c = cell.comparison {
        var style = ""
        if !significanceMarks(cell.adjustedP).isEmpty, let higher = blocks[b].higherIsBetter {
          style = (c.difference > 0) == higher ? " class=\"better\"" : " class=\"worse\""
        }
        html += "<br><small\(style)>\(escape(text))</small>"
      }
      return "<td>\(html)</td>"
    }
    var html = "<table class=\"comparison\"><tr><th>\(escape(corner))</th>"
    switch layout {
    case .groupsAsRows:
      html += blocks.map { "<th>\(escape($0.name))</th>" }.joined() + "</tr>"
      for g in groups.indices {
        html += "<tr><td>\(escape(groups[g]))</td>"
        html += blocks.indices.map { cellHTML(g, $0) }.joined() + "</tr>"
      }
    case .groupsAsColumns:
      html += groups.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
      for b in blocks.indices {
        html += "<tr><td>\(escape(blocks[b].name))</td>"
        html += groups.indices.map { cellHTML($0, b) }.joined() + "</tr>"
      }
    }
    return html + "</table>"
  }
}

/// Mean ± half-width of a confidence interval in one printf format: "–" without a mean, the
/// mean alone without an interval. A `+` flag in the format signs the mean, never the
/// half-width. Every report formats its intervals here.
public func formatInterval(_ interval: MeanInterval, _ format: String) -> String {
  guard interval.mean.isFinite else { return "–" }
  var text = String(format: format, interval.mean)
  if interval.halfWidth.isFinite {
    text +=
      " ± " + String(format: format.replacingOccurrences(of: "+", with: ""), interval.halfWidth)
  }
  return text
}

/// `value` in `format` with its sign always shown.
func signed(_ value: Double, _ format: String) -> String {
  String(format: "%+" + format.replacingOccurrences(of: "+", with: "").dropFirst(), value)
}

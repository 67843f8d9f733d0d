import Experiments
import Foundation

/// A box-drawn table with a header row; columns are as wide as their widest cell.
func renderTable(header: [String], rows: [[String]]) -> String {
  let columns = header.count
  var widths = header.map(\.count)
  for row in rows {
    for (i, cell) in row.enumerated() where i < columns { widths[i] = max(widths[i], cell.count) }
  }
  func line(_ left: String, _ mid: String, _ right: String) -> String {
    left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right
  }
  func row(_ cells: [String]) -> String {
    "│"
      + cells.enumerated().map { i, cell in
        " " + cell + String(repeating: " ", count: widths[i] - cell.count) + " "
      }.joined(separator: "│") + "│"
  }
  return
    ([line("┌", "┬", "┐"), row(header), line("├", "┼", "┤")] + rows.map(row)
    + [line("└", "┴", "┘")]).joined(separator: "\n")
}

/// The table `crit train` prints at the end of a run.
func summaryTable(_ summary: RunSummary, directory: String) -> String {
  func percent(_ x: Double?) -> String { x.map { String(format: "%.2f %%", 100 * $0) } ?? "–" }
  var rows: [[String]] = [
    ["status", summary.status + (summary.divergedAtEpoch.map { " at epoch \($0)" } ?? "")],
    ["epochs", "\(summary.epochs)"],
    ["parameters", "\(summary.parameters)"],
  ]
  if let final = summary.final {
    rows += [
      ["train loss", String(format: "%.4f", final.trainLoss)],
      ["test loss", String(format: "%.4f", final.testLoss)],
      ["train accuracy", percent(final.trainAccuracy)],
      ["test accuracy", percent(final.testAccuracy)],
    ]
  }
  if let best = summary.bestTestAccuracy, let epoch = summary.bestTestAccuracyEpoch {
    rows.append(["best test accuracy", "\(percent(best)) (epoch \(epoch))"])
  }
  rows.append([
    "time",
    String(format: "%.2f s, %@ epochs/s", summary.seconds, formatRate(summary.epochsPerSecond)),
  ])
  rows.append(["run directory", directory])
  return renderTable(header: ["", "final"], rows: rows)
}

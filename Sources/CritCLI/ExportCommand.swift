import ArgumentParser
import Experiments
import Foundation
import Sweeps

/// `crit export STORE`: a sweep's runs as CSV or JSON lines, for analysis elsewhere.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Write a store's runs as CSV or JSON lines.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }

  @Argument(help: "Results store URL (sqlite:PATH).")
  var store: String

  @Option(help: "Sweep name (default: every sweep in the store).")
  var sweep: String?

  @Option(help: "csv or jsonl.")
  var format: Format = .csv

  func run() throws {
    let results = try openStore(store, mustExist: true)
    let names = try sweep.map { [$0] } ?? results.sweeps()
    if let sweep, !(try results.sweeps()).contains(sweep) {
      throw ValidationError(
        "--sweep \(sweep): no such sweep in \(store) (it has: \(try results.sweeps().joined(separator: ", ")))"
      )
    }
    var rows: [[String: String]] = []
    for name in names {
      for run in try results.runs(sweep: name) {
        var row = run.assignments
        row["sweep"] = name
        row["hash"] = run.hash
        row["kind"] = run.kind
        row["status"] = run.status.name
        if case .failed(let message) = run.status { row["message"] = message }
        row["attempts"] = "\(run.attempts)"
        row["worker"] = run.worker ?? ""
        row["diverged_epoch"] = run.divergedEpoch.map(String.init) ?? ""
        row["epochs"] = "\(run.epochs.count)"
        if run.metrics.isEmpty {
          // Other kinds: their summary numbers under their own names.
          for (key, value) in run.values where key != "epochs" { row[key] = "\(value)" }
        }
        if let last = run.metrics.last {
          row["final_train_loss"] = "\(last.trainLoss)"
          row["final_test_loss"] = "\(last.testLoss)"
          row["final_train_accuracy"] = last.trainAccuracy.map { "\($0)" } ?? ""
          row["final_test_accuracy"] = last.testAccuracy.map { "\($0)" } ?? ""
        }
        row["seconds"] = run.seconds.map { "\($0)" } ?? ""
        rows.append(row)
      }
    }
    switch format {
    case .jsonl:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      for row in rows { print(String(decoding: try encoder.encode(row), as: UTF8.self)) }
    case .csv:
      let columns = Array(Set(rows.flatMap(\.keys))).sorted()
      print(columns.joined(separator: ","))
      for row in rows {
        print(columns.map { csvField(row[$0] ?? "") }.joined(separator: ","))
      }
    }
  }

  func csvField(_ s: String) -> String {
    s.contains(",") || s.contains("\"")
      ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s
  }
}

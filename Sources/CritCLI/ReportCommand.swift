import ArgumentParser
import Experiments
import Foundation
import Report
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
    let runs = try results.runs(sweep: name).filter(\.status.isResult)
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

import Experiments
import Foundation
import Sweeps

/// What running a store-backed protocol gave: its summary, where it lives, how long it took.
struct ProtocolExecution<Summary> {
  var summary: Summary
  var directory: String
  var store: String
  var seconds: Double

  /// Writes the report beside the store and prints the closing table (time, store, report).
  func finish(report html: String) throws {
    let path = "\(directory)/report.html"
    try html.write(toFile: path, atomically: true, encoding: .utf8)
    print(
      renderTable(
        header: ["", "value"],
        rows: [
          ["this invocation", String(format: "%.1f s", seconds)], ["store", store],
          ["report", path],
        ]))
  }
}

extension ProtocolRunOptions {
  /// Runs a protocol whose parts go through a results store (``ProtocolPart``): creates
  /// `<runs>/<name>/`, opens the store, stops at the next run on Ctrl-C, draws one progress bar
  /// per part (`units` names a part's runs), and calls `body`. If `body` returns `nil` (stopped
  /// before every run finished) the error says how many of `total` runs are kept.
  func execute<Summary>(
    name: String, parts: [String], total: Int, defaultLease: Double,
    units: @escaping @Sendable (String) -> String,
    _ body: (
      _ store: any ResultStore, _ lease: Double, _ stop: StopFlag,
      _ progress: @escaping @Sendable (String, Int, Int) -> Void
    ) throws -> Summary?
  ) throws -> ProtocolExecution<Summary> {
    let directory = try directory(for: name)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let url = storeURL(directory: directory, file: "store.sqlite")
    let results = try openStore(url)
    let stop = StopFlag()
    let interrupt = installInterruptHandler(stop)
    defer { interrupt.cancel() }
    let clock = ContinuousClock()
    let start = clock.now
    let bars = LockedBox<[String: LockedProgress]>([:])
    let enabled = !quiet
    let summary = try body(results, lease ?? defaultLease, stop) { part, done, count in
      let bar = bars.withLock { bars in
        if let bar = bars[part] { return bar }
        let bar = LockedProgress(total: count, unit: units(part), enabled: enabled)
        bars[part] = bar
        return bar
      }
      bar.update(done)
      if done == count { bar.finish() }
    }
    guard let summary else {
      let finished = try parts.reduce(0) {
        $0 + (try results.progress(sweep: "\(name)-\($1)").finished)
      }
      throw InterruptedDemo(finished: finished, total: total, directory: directory)
    }
    return ProtocolExecution(
      summary: summary, directory: directory, store: url, seconds: (clock.now - start).inSeconds)
  }
}

import Foundation
import Sweeps
import Testing

/// `crit run asisr` runs through its results store: interrupted with Ctrl-C after some runs,
/// the same command finishes the rest, every run completes exactly once, and the report is
/// written with every condition.
@Test func asisrProtocolResumesAfterInterruption() throws {
  guard let executable = critExecutable() else {
    Issue.record("crit executable not found")
    return
  }
  let parent = FileManager.default.temporaryDirectory.appendingPathComponent(
    "crit-asisr-\(UUID().uuidString)"
  ).path
  let arguments = [
    "run", "asisr", "--quick", "--epochs", "3", "--seeds", "2", "--runs", parent, "--quiet",
  ]
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.environment = critEnvironment()
  process.arguments = arguments + ["--jobs", "1"]
  let stderr = Pipe()
  process.standardError = stderr
  process.standardOutput = Pipe()
  try process.run()
  let storePath = "\(parent)/asisr-quick-seeds2-epochs3/sweep.sqlite"
  let name = "asisr-quick-seeds2-epochs3"
  let deadline = Date().addingTimeInterval(120)
  var finishedBefore = 0
  while process.isRunning && Date() < deadline {
    if FileManager.default.fileExists(atPath: storePath),
      let progress = try? SQLiteStore(path: storePath).progress(sweep: name),
      progress.finished >= 5
    {
      finishedBefore = progress.finished
      break
    }
    Thread.sleep(forTimeInterval: 0.05)
  }
  #expect(process.isRunning, "the protocol ended before it could be interrupted")
  process.interrupt()
  process.waitUntilExit()
  #expect(process.terminationStatus == 130)
  let store = try SQLiteStore(path: storePath)
  let interrupted = try store.progress(sweep: name)
  #expect(interrupted.finished >= finishedBefore && interrupted.finished < interrupted.total)
  #expect(interrupted.running == 0)  // the current run was given back
  #expect(!FileManager.default.fileExists(atPath: "\(parent)/\(name)/report.html"))

  let (status, errors) = runCrit(arguments)
  #expect(status == 0, "\(errors)")
  let runs = try store.runs(sweep: name)
  // 11 conditions × 2 tasks × 2 seeds, plus the fixed-τ curve's two extra τ on both tasks.
  #expect(runs.count == (11 + 2) * 2 * 2)
  #expect(runs.allSatisfy { $0.status == "completed" && $0.metrics.count == 3 })
  #expect(Set(runs.map(\.hash)).count == runs.count)
  let report = try String(contentsOfFile: "\(parent)/\(name)/report.html", encoding: .utf8)
  for condition in [
    "none", "fixed-tau", "layerwise", "rg-flow", "adaptive", "critical-lr", "spectral-norm",
    "weight-decay", "dropout", "batch-norm", "jacobian-chi1",
  ] {
    #expect(report.contains("<td>\(condition)</td>"), "\(condition)")
  }
  #expect(report.contains("Which claims held"))
}

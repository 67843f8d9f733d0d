import Foundation
import Sweeps
import Testing

/// `crit demo` runs through a results store in its directory: every run is recorded once, a
/// rerun trains nothing, and a run directory deleted by hand is trained again with the same
/// numbers (the directories are a cache of the store's finished runs).
@Test func demoRecordsItsRunsInTheStoreAndRestoresADeletedDirectory() throws {
  let parent = FileManager.default.temporaryDirectory.appendingPathComponent(
    "crit-demo-store-\(UUID().uuidString)"
  ).path
  let arguments = ["demo", "--quick", "--quiet", "--jobs", "2", "--runs", parent, "--name", "s"]
  let first = try runShippedCrit(arguments)
  #expect(first.status == 0, "\(first.errors)")
  let store = try openStore("sqlite:\(parent)/s/store.sqlite", mustExist: true)
  let runs = try store.runs(sweep: "seed-poc")
  #expect(runs.count == 4)
  #expect(runs.allSatisfy { $0.status == .completed && $0.attempts == 1 }, "\(runs)")
  #expect(Set(runs.map { $0.assignments["condition"] ?? "" }) == ["baseline", "spectral-tau1"])

  let deleted = "\(parent)/s/baseline/seed-1"
  let metrics = try String(contentsOfFile: "\(deleted)/metrics.csv", encoding: .utf8)
  let kept = try Data(contentsOf: URL(fileURLWithPath: "\(parent)/s/baseline/seed-0/metrics.json"))
  try FileManager.default.removeItem(atPath: deleted)
  let second = try runShippedCrit(arguments)
  #expect(second.status == 0, "\(second.errors)")
  #expect(try String(contentsOfFile: "\(deleted)/metrics.csv", encoding: .utf8) == metrics)
  #expect(
    try Data(contentsOf: URL(fileURLWithPath: "\(parent)/s/baseline/seed-0/metrics.json")) == kept)
  let after = try store.runs(sweep: "seed-poc")
  #expect(after.count == 4 && after.allSatisfy { $0.attempts == 1 }, "\(after)")
}

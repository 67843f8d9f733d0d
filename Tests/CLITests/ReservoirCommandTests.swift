import Experiments
import Foundation
import Testing

/// `crit run reservoir --quick` end to end (shortened to 2 epochs and 2 seeds): the report has
/// its three parts, the measurements are written as JSON, every trained run has its record;
/// run again, it reuses the records (same contents) instead of training again.
@Test func reservoirProtocolRunsAndResumes() throws {
  let parent = FileManager.default.temporaryDirectory.appendingPathComponent(
    "crit-reservoir-\(UUID().uuidString)"
  ).path
  let arguments = [
    "run", "reservoir", "--quick", "--epochs", "2", "--seeds", "2", "--runs", parent, "--quiet",
  ]
  let (status, errors) = runCrit(arguments)
  #expect(status == 0, "\(errors)")
  let directory = "\(parent)/reservoir-quick-seeds2-epochs2"
  let report = try String(contentsOfFile: "\(directory)/report.html", encoding: .utf8)
  #expect(report.contains("memory capacity"))
  #expect(report.contains("Largest Lyapunov exponent"))
  #expect(report.contains("<td>radius-1</td>") && report.contains("<td>adaptive-radius</td>"))
  #expect(report.contains("Peak memory capacity"))
  #expect(FileManager.default.fileExists(atPath: "\(directory)/echo-state.json"))
  #expect(FileManager.default.fileExists(atPath: "\(directory)/lyapunov.json"))
  let record = "\(directory)/rnn/narma10/sigma-max-1/seed-1/record.json"
  let before = try Data(contentsOf: URL(fileURLWithPath: record))
  let metrics = try String(
    contentsOfFile: "\(directory)/rnn/narma10/sigma-max-1/seed-1/metrics.csv", encoding: .utf8)
  #expect(metrics.split(separator: "\n").count == 3)  // header and 2 epochs
  let again = runCrit(arguments)
  #expect(again.status == 0, "\(again.errors)")
  #expect(try Data(contentsOf: URL(fileURLWithPath: record)) == before)
}

/// Bad values get exit status 2 and one line naming the flag.
@Test(arguments: [
  (["--rhos", "0.5,-1"], "--rhos"), (["--units", "0"], "units"), (["--seeds", "1"], "--seeds"),
  (["--epochs", "0"], "--epochs"), (["--reference", "/nonexistent.json"], "--reference"),
])
func reservoirBadInput(arguments: [String], named: String) {
  let (status, errors) = runCrit(
    ["run", "reservoir", "--quick", "--runs", FileManager.default.temporaryDirectory.path]
      + arguments)
  #expect(status == 2)
  #expect(errors.count == 1 && errors[0].contains(named), "\(errors)")
}

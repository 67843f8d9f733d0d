import Foundation
import Tensors
import Testing

/// The `crit` executable next to the test bundle (or in the debug build folder).
func critExecutable() -> String? {
  let candidates = [
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("crit").path,
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug/crit").path,
  ]
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// The environment the tests start the built `crit` with: this process's, with
/// `OPENBLAS_CORETYPE` naming the BLAS kernels this process loaded. The binary starts itself
/// again with vectorised kernels where OpenBLAS chose its generic ones; tests that compare its
/// results with results computed here need both sides on the same kernels.
func critEnvironment() -> [String: String] {
  var environment = ProcessInfo.processInfo.environment
  if environment["OPENBLAS_CORETYPE"] == nil {
    environment["OPENBLAS_CORETYPE"] = LinearAlgebraThreads.coreName
  }
  return environment
}

/// Ctrl-C during `crit demo`: the process stops at the next epoch, exits 130, says where the
/// finished runs are, and every finished run's files are complete.
@Test func interruptingTheDemoKeepsFinishedRuns() throws {
  guard let executable = critExecutable() else {
    Issue.record("crit executable not found")
    return
  }
  let parent = FileManager.default.temporaryDirectory.appendingPathComponent(
    "crit-int-\(UUID().uuidString)"
  ).path
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.environment = critEnvironment()
  process.arguments = [
    "demo", "--quiet", "--runs", parent, "--name", "interrupted", "--seeds", "4", "--epochs", "150",
    "--indicators-every", "3", "--boundary-resolution", "64", "--jobs", "1",
  ]
  let stderr = Pipe()
  process.standardError = stderr
  process.standardOutput = Pipe()
  try process.run()
  // Wait until the first run has finished and been written (at most 120 s), then interrupt.
  let first = "\(parent)/interrupted/baseline/seed-0/summary.json"
  let deadline = Date().addingTimeInterval(120)
  while !FileManager.default.fileExists(atPath: first) && Date() < deadline && process.isRunning {
    Thread.sleep(forTimeInterval: 0.05)
  }
  #expect(process.isRunning, "the demo ended before it could be interrupted")
  process.interrupt()
  process.waitUntilExit()
  let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  #expect(process.terminationStatus == 130)
  #expect(message.contains("interrupted"), "\(message)")
  #expect(message.contains("\(parent)/interrupted"), "\(message)")
  #expect(!FileManager.default.fileExists(atPath: "\(parent)/interrupted/report.html"))
  // Every run directory that exists is complete: all files, every epoch.
  var complete = 0
  for condition in ["baseline", "spectral-tau1"] {
    for seed in 0..<4 {
      let directory = "\(parent)/interrupted/\(condition)/seed-\(seed)"
      guard FileManager.default.fileExists(atPath: directory) else { continue }
      for file in [
        "config.json", "metrics.csv", "metrics.json", "summary.json", "model.safetensors",
      ] {
        #expect(
          FileManager.default.fileExists(atPath: "\(directory)/\(file)"), "\(directory)/\(file)")
      }
      let metrics = try String(contentsOfFile: "\(directory)/metrics.csv", encoding: .utf8)
      #expect(metrics.split(separator: "\n").count == 151)
      complete += 1
    }
  }
  #expect(complete >= 1 && complete < 8)

  // The same command again resumes: the finished runs are read, not trained again (their
  // files keep their bytes), the rest are trained, and the report is written.
  let finishedBefore = try Data(
    contentsOf: URL(fileURLWithPath: "\(parent)/interrupted/baseline/seed-0/metrics.json"))
  let rerun = try runShippedCrit([
    "demo", "--runs", parent, "--name", "interrupted", "--seeds", "4", "--epochs", "150",
    "--indicators-every", "3", "--boundary-resolution", "64", "--jobs", "1",
  ])
  #expect(rerun.status == 0, "\(rerun.errors)")
  #expect(rerun.output.contains("resuming: \(complete) of 8 runs"), "\(rerun.output)")
  #expect(FileManager.default.fileExists(atPath: "\(parent)/interrupted/report.html"))
  #expect(
    try Data(contentsOf: URL(fileURLWithPath: "\(parent)/interrupted/baseline/seed-0/metrics.json"))
      == finishedBefore)
}

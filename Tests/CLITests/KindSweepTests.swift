import CritCLI
import Foundation
import Sweeps
import Testing

/// A sweep of RNN configurations: runs long enough (about half a second each) for a worker to
/// be killed between and during runs.
func rnnKillSweep(_ name: String) -> String {
  """
  name: \(name)
  kind: rnn
  base:
    hidden: 16
    length: 20
    trainSequences: 128
    testSequences: 64
    epochs: 120
  seeds: 2
  grid:
    gain: [0.5, 1.5]
    task: [{temporalParity: {window: 2}}, {delayedRecall: {lags: [3]}}]
  """
}

/// A sweep of trainability frames (16² pixels, 300 steps: about a second each).
func frameKillSweep(_ name: String) -> String {
  """
  name: \(name)
  kind: trainability-frame
  base: {resolution: 16, steps: 300}
  seeds: 2
  grid:
    spectral: [none, {penalty: {strength: 0.1, target: 1}}, {normalization: {target: 2}}]
  """
}

/// Runs `text` uninterrupted into a SQLite reference, then into `url` with `workers` worker
/// processes of which the first is killed with SIGKILL once two runs are finished, then one
/// more worker to finish what is left. Every run completes exactly once (only the killed
/// worker's run is claimed twice) with the reference's numbers.
func killOneWorkerAndResume(
  _ text: String, name: String, runs total: Int, url: String, workers: Int,
  open: () throws -> any ResultStore
) throws {
  guard let executable = critExecutable() else {
    Issue.record("crit executable not found")
    return
  }
  let file = writeSweep(text)
  let reference = temporaryPath("reference.sqlite")
  let (status, errors) = runCrit([
    "sweep", file, "--store", "sqlite:\(reference)", "--quiet", "--jobs", "2",
  ])
  try #require(status == 0, "\(errors)")
  func start() throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.environment = critEnvironment()
    process.arguments = ["sweep", file, "--store", url, "--quiet", "--jobs", "1", "--lease", "1"]
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    return process
  }
  let started = try (0..<workers).map { _ in try start() }
  let deadline = Date().addingTimeInterval(120)
  var store: (any ResultStore)?
  while Date() < deadline, started[0].isRunning {
    if store == nil { store = try? open() }
    if let progress = try? store?.progress(sweep: name), progress.finished >= 2 { break }
    Thread.sleep(forTimeInterval: 0.01)
  }
  #expect(started[0].isRunning, "the first worker ended before it could be killed")
  kill(started[0].processIdentifier, SIGKILL)
  for worker in started { worker.waitUntilExit() }
  #expect(started[0].terminationReason == .uncaughtSignal)
  for worker in started.dropFirst() { #expect(worker.terminationStatus == 0) }
  let last = try start()
  last.waitUntilExit()
  #expect(last.terminationStatus == 0)
  let runs = try (store ?? open()).runs(sweep: name)
  let expected = Dictionary(
    uniqueKeysWithValues: try SQLiteStore(path: reference).runs(sweep: name).map { ($0.hash, $0) })
  #expect(runs.count == total)
  #expect(runs.allSatisfy { $0.status == .completed })
  #expect(runs.filter { $0.attempts > 1 }.count <= 1)
  #expect(runs.allSatisfy { $0.attempts >= 1 && $0.attempts <= 2 })
  // Bit patterns, so that a NaN (a standard error from two box sizes) equals itself.
  func bits(_ values: [String: Double]?) -> [String: UInt64]? { values?.mapValues(\.bitPattern) }
  for run in runs {
    let reference = expected[run.hash]
    let same =
      run.epochs.map(\.epoch) == reference?.epochs.map(\.epoch)
      && zip(run.epochs, reference?.epochs ?? []).allSatisfy { bits($0.values) == bits($1.values) }
      && bits(run.values) == bits(reference?.values)
    #expect(same, "run \(run.assignments) differs from the uninterrupted sweep")
  }
}

@Test func rnnSweepSurvivesAKilledWorkerInSQLite() throws {
  let path = temporaryPath("rnn.sqlite")
  try killOneWorkerAndResume(
    rnnKillSweep("rnn-kill"), name: "rnn-kill", runs: 8, url: "sqlite:\(path)", workers: 1
  ) { try SQLiteStore(path: path) }
}

@Test func trainabilityFrameSweepSurvivesAKilledWorkerInSQLite() throws {
  let path = temporaryPath("frames.sqlite")
  try killOneWorkerAndResume(
    frameKillSweep("frame-kill"), name: "frame-kill", runs: 6, url: "sqlite:\(path)",
    workers: 1
  ) { try SQLiteStore(path: path) }
}

@Test func rnnAndFrameSweepsShareAPostgreSQLStore() throws {
  do {
    _ = try PostgresStore(url: postgresURL)
  } catch {
    Issue.record(
      "no PostgreSQL server at \(postgresURL) (start one with scripts/start-postgres.sh): \(error)")
    return
  }
  let tag = UUID().uuidString.prefix(8).lowercased()
  try killOneWorkerAndResume(
    rnnKillSweep("pg-rnn-\(tag)"), name: "pg-rnn-\(tag)", runs: 8, url: postgresURL, workers: 2
  ) { try PostgresStore(url: postgresURL) }
  try killOneWorkerAndResume(
    frameKillSweep("pg-frame-\(tag)"), name: "pg-frame-\(tag)", runs: 6, url: postgresURL,
    workers: 2
  ) { try PostgresStore(url: postgresURL) }
}

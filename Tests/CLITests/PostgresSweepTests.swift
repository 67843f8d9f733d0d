import CritCLI
import Foundation
import Sweeps
import Testing

/// The PostgreSQL server of the tests: `CRIT_POSTGRES_URL`, or the one
/// `scripts/start-postgres.sh` starts.
let postgresURL =
  ProcessInfo.processInfo.environment["CRIT_POSTGRES_URL"]
  ?? "postgres://crit:crit@127.0.0.1:5432/crit"

/// Three worker processes share one sweep on a real PostgreSQL server; one is killed with
/// SIGKILL mid-sweep. Every run is completed exactly once, none is lost, and the results equal
/// a SQLite sweep of the same file.
@Test func threeWorkersOnPostgresWithOneKilled() throws {
  guard let executable = critExecutable() else {
    Issue.record("crit executable not found")
    return
  }
  let store: PostgresStore
  do {
    store = try PostgresStore(url: postgresURL)
  } catch {
    Issue.record(
      "no PostgreSQL server at \(postgresURL) (start one with scripts/start-postgres.sh): \(error)")
    return
  }
  let name = "pg-\(UUID().uuidString.prefix(8).lowercased())"
  let file = writeSweep(
    """
    name: \(name)
    base: {epochs: 250, hidden: [32, 32], data: {count: 400}}
    seeds: 6
    grid: {learningRate: [0.001, 0.003]}
    """)
  func start() throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.environment = critEnvironment()
    process.arguments = [
      "sweep", file, "--store", postgresURL, "--quiet", "--jobs", "1", "--lease", "1",
    ]
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    return process
  }
  let workers = try (0..<3).map { _ in try start() }
  let deadline = Date().addingTimeInterval(180)
  while Date() < deadline, (try store.progress(sweep: name)).finished < 3, workers[0].isRunning {
    Thread.sleep(forTimeInterval: 0.01)
  }
  #expect(workers[0].isRunning, "the first worker ended before it could be killed")
  kill(workers[0].processIdentifier, SIGKILL)
  for worker in workers { worker.waitUntilExit() }
  #expect(workers[1].terminationStatus == 0)
  #expect(workers[2].terminationStatus == 0)
  let runs = try store.runs(sweep: name)
  #expect(runs.count == 12)
  #expect(runs.allSatisfy { $0.status == "completed" && $0.metrics.count == 250 })
  let reference = temporaryPath("reference.sqlite")
  #expect(runCrit(["sweep", file, "--store", "sqlite:\(reference)", "--quiet"]).status == 0)
  let expected = Dictionary(
    uniqueKeysWithValues: try SQLiteStore(path: reference).runs(sweep: name).map {
      ($0.hash, $0.metrics)
    })
  for run in runs {
    let same = run.metrics == expected[run.hash]
    #expect(same, "run \(run.hash) differs from the SQLite sweep")
  }
  // At most one run (the one the killed worker held) was claimed twice.
  #expect(runs.filter { $0.attempts > 1 }.count <= 1)
}

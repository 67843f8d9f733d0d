import CritCLI
import Experiments
import Foundation
import Sweeps
import Testing

func writeSweep(_ text: String) -> String {
  temporaryPath("sweep.yaml", contents: text)
}

let killSweep = """
  name: kill-test
  base:
    epochs: 250
    hidden: [32, 32]
    data: {count: 400}
  seeds: 4
  grid:
    learningRate: [0.001, 0.003]
  """

/// Kill -9 a worker in the middle of a SQLite sweep and restart it: every run completes
/// exactly once, and every run's metrics equal those of an uninterrupted sweep.
@Test func killedWorkerResumesWithIdenticalResults() throws {
  guard let executable = critExecutable() else {
    Issue.record("crit executable not found")
    return
  }
  let file = writeSweep(killSweep)
  let reference = temporaryPath("reference.sqlite")
  let (status, errors) = runCrit([
    "sweep", file, "--store", "sqlite:\(reference)", "--quiet", "--jobs", "2",
  ])
  #expect(status == 0, "\(errors)")

  let path = temporaryPath("killed.sqlite")
  func start() throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.environment = critEnvironment()
    process.arguments = [
      "sweep", file, "--store", "sqlite:\(path)", "--quiet", "--jobs", "1", "--lease", "1",
    ]
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    return process
  }
  let first = try start()
  // Wait until two runs are finished, then kill the worker without warning.
  let deadline = Date().addingTimeInterval(120)
  var finishedBeforeKill = 0
  while Date() < deadline && first.isRunning {
    if FileManager.default.fileExists(atPath: path),
      let progress = try? SQLiteStore(path: path).progress(sweep: "kill-test"),
      progress.finished >= 2
    {
      finishedBeforeKill = progress.finished
      break
    }
    Thread.sleep(forTimeInterval: 0.01)
  }
  #expect(first.isRunning, "the sweep ended before it could be killed")
  kill(first.processIdentifier, SIGKILL)
  first.waitUntilExit()
  #expect(first.terminationReason == .uncaughtSignal)
  let store = try SQLiteStore(path: path)
  let interrupted = try store.progress(sweep: "kill-test")
  #expect(interrupted.finished < 8)
  #expect(finishedBeforeKill >= 2)

  let second = try start()
  second.waitUntilExit()
  #expect(second.terminationStatus == 0)
  let runs = try store.runs(sweep: "kill-test")
  let expected = Dictionary(
    uniqueKeysWithValues: try SQLiteStore(path: reference).runs(sweep: "kill-test").map {
      ($0.hash, $0)
    })
  #expect(runs.count == 8)
  for run in runs {
    #expect(run.status == "completed")
    #expect(run.metrics.count == 250)
    let same = run.metrics == expected[run.hash]?.metrics
    #expect(same, "run \(run.hash) differs from the uninterrupted sweep")
  }
  // The run that was in flight when the worker died was claimed twice, completed once.
  #expect(runs.filter { $0.attempts == 2 }.count == (interrupted.running == 1 ? 1 : 0))
  // A third invocation finds nothing to do.
  let (again, _) = runCrit(["sweep", file, "--store", "sqlite:\(path)", "--quiet"])
  #expect(again == 0)
  #expect(try store.runs(sweep: "kill-test").map(\.attempts) == runs.map(\.attempts))
}

/// A bad sweep file exits 2 with one line naming the key path, and starts nothing.
@Test func badSweepFilesStartNothing() {
  let cases: [(String, [String])] = [
    ("name: b\ngrid: {data.nosie: [0.1]}", ["unknown key data.nosie", "did you mean data.noise"]),
    ("name: b\ngrid: {epochs: [10, ten]}", ["epochs must be an integer", "'ten'"]),
    ("name: b\ngrid: {learningRate: [0.1, -1]}", ["learningRate", "positive"]),
    ("name: b\nbase: {activation: swish}", ["activation must be one of"]),
  ]
  for (text, mentions) in cases {
    let store = temporaryPath("bad.sqlite")
    let (status, errors) = runCrit([
      "sweep", writeSweep(text), "--store", "sqlite:\(store)", "--quiet",
    ])
    #expect(status == 2, "\(text)")
    #expect(errors.count == 1)
    for fragment in mentions { #expect(errors.first?.contains(fragment) == true, "\(errors)") }
    #expect(!FileManager.default.fileExists(atPath: store))
  }
}

/// `crit export` writes one row per run with the axis values and final metrics.
@Test func exportWritesEveryRun() throws {
  let file = writeSweep(
    "name: e\nbase: {epochs: 2, data: {count: 60}, hidden: [4]}\nseeds: 2\ngrid: {data.noise: [0.1, 0.2]}"
  )
  let store = temporaryPath("e.sqlite")
  #expect(runCrit(["sweep", file, "--store", "sqlite:\(store)", "--quiet"]).status == 0)
  let runs = try SQLiteStore(path: store).runs(sweep: "e")
  #expect(runs.count == 4)
  #expect(Set(runs.map { $0.assignments["data.noise"]! }) == ["0.1", "0.2"])
}

import Experiments
import Foundation
import Runner
import Sweeps
import Testing
import Trainability

let rnnSweepText = """
  name: rnn
  kind: rnn
  base:
    hidden: 8
    length: 12
    trainSequences: 32
    testSequences: 16
    epochs: 3
    task: {temporalParity: {window: 2}}
  seeds: 2
  grid:
    gain: [0.5, 1.5]
    task: [{temporalParity: {window: 2}}, {delayedRecall: {lags: [3]}}]
  """

let frameSweepText = """
  name: frames
  kind: trainability-frame
  base: {resolution: 8, steps: 100, window: 10}
  grid:
    spectral: [none, {penalty: {strength: 0.1, target: 1}}]
  """

func fixture(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/\(name)").path
}

/// A sweep file of RNN configurations expands like an MLP sweep: one-of keys (the task) take
/// any of their forms, a form's missing fields come from its example, seeds are innermost.
@Test func rnnSweepFileExpandsWithEveryTaskForm() throws {
  let sweep = try SweepFile.parse(text: rnnSweepText, source: "rnn.yaml")
  #expect(sweep.kind.name == "rnn")
  #expect(sweep.records.count == 8)
  #expect(sweep.runs.isEmpty)
  #expect(Set(sweep.records.map(\.hash)).count == 8)
  let configurations = try sweep.records.map {
    try JSONDecoder.forRuns.decode(
      RecurrentTrainingConfiguration.self, from: Data($0.configuration.utf8))
  }
  #expect(
    configurations.map(\.task) == [
      .temporalParity(window: 2), .temporalParity(window: 2),
      .delayedRecall(lags: [3], symbols: 2), .delayedRecall(lags: [3], symbols: 2),
      .temporalParity(window: 2), .temporalParity(window: 2),
      .delayedRecall(lags: [3], symbols: 2), .delayedRecall(lags: [3], symbols: 2),
    ])
  #expect(configurations.map(\.gain) == [0.5, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5])
  #expect(configurations.map(\.seed) == [0, 1, 0, 1, 0, 1, 0, 1])
  #expect(configurations.allSatisfy { $0.hidden == 8 && $0.epochs == 3 && $0.length == 12 })
  #expect(sweep.records[2].assignments["task"] == "{delayedRecall: {lags: [3]}}")
  // The same file gives the same hashes; another kind's hash never equals an MLP's.
  let again = try SweepFile.parse(text: rnnSweepText, source: "rnn.yaml")
  #expect(again.records.map(\.hash) == sweep.records.map(\.hash))
}

/// Bad kinds, keys, forms and values in a sweep of another kind are one-line errors naming the
/// key path and what is allowed.
@Test func otherKindsSweepFilesAreChecked() {
  let cases: [(String, [String])] = [
    ("name: b\nkind: cnn", ["unknown kind 'cnn'", "mlp", "rnn", "trainability-frame"]),
    ("name: b\nkind: 3", ["kind must be one of mlp, rnn, trainability-frame"]),
    ("name: b\nkind: rnn\ngrid: {gian: [1]}", ["unknown key gian", "did you mean gain"]),
    ("name: b\nkind: rnn\nbase: {data: {noise: 0.1}}", ["unknown key data"]),
    (
      "name: b\nkind: rnn\nbase: {task: {copy: {n: 1}}}",
      ["task must be one of", "delayedRecall", "temporalParity", "narma10"]
    ),
    (
      "name: b\nkind: rnn\nbase: {task: {temporalParity: {windw: 2}}}",
      ["unknown key task.temporalParity.windw", "did you mean task.temporalParity.window"]
    ),
    ("name: b\nkind: rnn\nbase: {hidden: 0}", ["hidden", "1…4096"]),
    ("name: b\nkind: rnn\nbase: {gain: fast}", ["gain must be a number"]),
    ("name: b\nkind: rnn\nbase: {trainSequences: 1000000000}", ["trainSequences", "GiB"]),
    ("name: b\nkind: rnn\nbase: {epochs: 100000000}", ["epochs", "1…10000000"]),
    (
      "name: b\nkind: trainability-frame\nbase: {spectral: {penalty: {strength: -1, target: 1}}}",
      ["spectral.penalty", "positive"]
    ),
    ("name: b\nkind: trainability-frame\nbase: {spectral: norm}", ["spectral must be one of"]),
    ("name: b\nkind: trainability-frame\nbase: {variant: sideways}", ["variant must be one of"]),
    ("name: b\nkind: trainability-frame\nbase: {resolution: 1}", ["resolution", "2…4096"]),
    ("name: b\nkind: trainability-frame\nbase: {resolution: 2048}", ["resolution", "tiles"]),
  ]
  for (text, fragments) in cases {
    do {
      _ = try SweepFile.parse(text: text, source: "s.yaml")
      Issue.record("accepted: \(text)")
    } catch {
      let message = "\(error)"
      #expect(!message.contains("\n"), "\(message)")
      for fragment in fragments { #expect(message.contains(fragment), "\(text): \(message)") }
    }
  }
}

/// RNN runs go through the store like MLP runs: two workers, every run completed once, and
/// each record holds exactly what the trainer returns for its configuration (run again here).
@Test func rnnRunsRecordNamedValuesPerEpoch() throws {
  let store = try temporaryStore()
  let sweep = try SweepFile.parse(text: rnnSweepText, source: "rnn.yaml")
  try store.register(sweep: "rnn", specification: rnnSweepText, kind: "rnn", runs: sweep.records)
  try SweepWorker.pool(store: store, sweep: "rnn", jobs: 2, lease: 60, stop: StopFlag())
  let runs = try store.runs(sweep: "rnn")
  #expect(runs.count == 8)
  #expect(runs.allSatisfy { $0.status == .completed && $0.attempts == 1 && $0.kind == "rnn" })
  #expect(try store.progress(sweep: "rnn") == SweepProgress(completed: 8))
  for run in runs.prefix(3) {
    let configuration = try JSONDecoder.forRuns.decode(
      RecurrentTrainingConfiguration.self, from: Data(run.configurationJSON.utf8))
    let direct = trainRecurrent(configuration)
    #expect(run.seed == configuration.seed)
    #expect(run.epochs.map(\.epoch) == direct.metrics.map(\.epoch))
    for (stored, m) in zip(run.epochs, direct.metrics) {
      #expect(stored.values["trainLoss"] == m.trainLoss)
      #expect(stored.values["testLoss"] == m.testLoss)
      #expect(stored.values["testAccuracy"] == m.testAccuracy)
      #expect(stored.values["chi1"] == m.chi1)
      #expect(stored.values["spectralRadius"] == m.spectralRadius)
      #expect(stored.values["sigmaMax"] == m.sigmaMax)
    }
    #expect(run.values["finalTestLoss"] == direct.metrics.last?.testLoss)
    #expect(run.values["drivenLyapunovExponent"] == direct.drivenLyapunovExponent)
  }
  let table = SweepReport(name: "rnn", runs: runs, keys: ["gain", "task"], baseline: nil)
    .comparisonTable()
  #expect(table.blocks.map(\.name) == ["test accuracy (%)", "test loss", "spectral radius"])
  #expect(table.groups.count == 4)
}

/// A trainability frame's record keeps its pixels: the stored measures equal the frame
/// computed directly, and the summary's converged fraction is the frame's.
@Test func trainabilityFramesKeepTheirPixelsInTheStore() throws {
  let store = try temporaryStore()
  let sweep = try SweepFile.parse(text: frameSweepText, source: "frames.yaml")
  try store.register(
    sweep: "frames", specification: "", kind: sweep.kind.name, runs: sweep.records)
  try SweepWorker.pool(store: store, sweep: "frames", jobs: 2, lease: 60, stop: StopFlag())
  let runs = try store.runs(sweep: "frames")
  #expect(runs.count == 2 && runs.allSatisfy { $0.status == .completed })
  for run in runs {
    let configuration = try JSONDecoder.forRuns.decode(
      TrainabilityFrameConfiguration.self, from: Data(run.configurationJSON.utf8))
    let measures = try #require(
      TrainabilityFrame.compute(
        configuration.setup, view: configuration.view, resolution: 8, threads: 1))
    let stored = try JSONDecoder.forRuns.decode(
      TrainabilityFrame.self, from: Data(try #require(run.detail).utf8))
    #expect(stored.measures.map(\.bitPattern) == measures.map(\.bitPattern))
    let direct = TrainabilityFrame(
      setup: configuration.setup, view: configuration.view, resolution: 8, measures: measures)
    #expect(run.values["convergedFraction"] == direct.convergedFraction)
    #expect(run.values["boundaryDimension"]?.bitPattern == direct.dimension.dimension.bitPattern)
  }
  #expect(
    Set(runs.map { $0.assignments["spectral"] }) == [
      "none", "{penalty: {strength: 0.1, target: 1}}",
    ])
  // The report shows every frame as an image, decoded from the records' pixels.
  let html = SweepReport(name: "frames", runs: runs, keys: ["spectral"], baseline: nil).html()
  #expect(html.contains("<h2>Frames</h2>"))
  #expect(html.components(separatedBy: "src=\"data:image/png;base64,").count == 3)
}

/// A run that cannot be carried out (its data file is missing) is recorded as failed with
/// the reason; the sweep goes on and the report leaves it out.
@Test func aRunThatCannotStartIsRecordedAsFailed() throws {
  let store = try temporaryStore()
  var broken = TrainingConfiguration(hidden: [4], epochs: 2)
  broken.data.kind = .csv
  broken.data.path = "/nonexistent/features.csv"
  var good = TrainingConfiguration(hidden: [4], epochs: 2)
  good.data.count = 40
  try store.register(
    sweep: "s", specification: "",
    runs: [
      (configurationHash(broken), broken, ["x": "broken"]),
      (configurationHash(good), good, ["x": "good"]),
    ])
  try SweepWorker.pool(store: store, sweep: "s", jobs: 1, lease: 60, stop: StopFlag())
  let runs = try store.runs(sweep: "s")
  guard case .failed(let message) = runs[0].status else {
    Issue.record("expected a failed run, got \(runs[0].status)")
    return
  }
  #expect(message.contains("/nonexistent/features.csv"))
  #expect(runs[1].status == .completed)
  #expect(try store.progress(sweep: "s") == SweepProgress(completed: 1, failed: 1))
  #expect(try store.claim(sweep: "s", worker: "late", lease: 60) == nil)
}

/// A sweep name holds one kind: registering runs of another kind under it is refused.
@Test func oneSweepHoldsOneKind() throws {
  let store = try temporaryStore()
  try store.register(sweep: "s", specification: "", runs: smallRuns(1))
  let sweep = try SweepFile.parse(text: rnnSweepText, source: "rnn.yaml")
  #expect(throws: ConfigurationFileError.self) {
    try store.register(sweep: "s", specification: "", kind: "rnn", runs: sweep.records)
  }
  do {
    try store.register(sweep: "s", specification: "", kind: "rnn", runs: sweep.records)
  } catch {
    #expect("\(error)".contains("already holds mlp runs"))
  }
}

/// A store written by the previous version (committed fixture; its runs exported by that
/// version's `crit export`) opens: its runs read back as completed MLP records with the same
/// final numbers, and it takes sweeps of the new kinds.
@Test func aStoreOfThePreviousVersionOpens() throws {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-old-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let path = directory.appendingPathComponent("old.sqlite").path
  try FileManager.default.copyItem(atPath: fixture("previous-version.sqlite"), toPath: path)
  let store = try openStore("sqlite:\(path)", mustExist: true)
  let runs = try store.runs(sweep: "previous-version")
  let exported = try String(contentsOfFile: fixture("previous-version.jsonl"), encoding: .utf8)
    .split(separator: "\n").map {
      try JSONDecoder().decode([String: String].self, from: Data($0.utf8))
    }
  #expect(runs.count == 4 && exported.count == 4)
  for (run, old) in zip(runs, exported) {
    #expect(run.hash == old["hash"])
    #expect(run.kind == "mlp")
    #expect(run.status == .completed)
    #expect(run.metrics.count == 3 && run.epochs.count == 3)
    #expect(run.values["finalTestLoss"] == old["final_test_loss"].flatMap(Double.init))
    #expect(run.values["finalTestAccuracy"] == old["final_test_accuracy"].flatMap(Double.init))
    #expect(try run.configuration.seed == old["seed"].flatMap(UInt64.init))
  }
  let sweep = try SweepFile.parse(text: rnnSweepText, source: "rnn.yaml")
  try store.register(sweep: "rnn", specification: "", kind: "rnn", runs: sweep.records)
  try SweepWorker.pool(store: store, sweep: "rnn", jobs: 1, lease: 60, stop: StopFlag())
  #expect(try store.progress(sweep: "rnn").completed == 8)
}

/// A database whose runs table is not a results store's is refused in one line.
@Test func aForeignDatabaseIsRefused() throws {
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-foreign-\(UUID().uuidString).sqlite").path
  try FileManager.default.copyItem(atPath: fixture("not-a-store.sqlite"), toPath: path)
  do {
    _ = try openStore("sqlite:\(path)", mustExist: true)
    Issue.record("a foreign database opened as a store")
  } catch {
    #expect("\(error)".contains("not a results store"))
    #expect(!"\(error)".contains("\n"))
  }
}

/// The RNN protocol of `crit run reservoir` through the store: every record read back equals
/// the record of the same run trained directly (per-head accuracies and the Lyapunov spectrum
/// included), the run directories are written as a cache, and a second call trains nothing.
@Test func recurrentProtocolRecordsComeFromTheStore() throws {
  let p = RecurrentProtocol(
    base: RecurrentTrainingConfiguration(
      length: 12, trainSequences: 32, testSequences: 16, hidden: 8, epochs: 2),
    conditions: Array(RecurrentProtocol.standardConditions.prefix(2)),
    tasks: [
      .init(name: "recall", task: .delayedRecall(lags: [2, 3], symbols: 2), length: 12)
    ], seeds: [0, 1])
  let store = try temporaryStore()
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-rnn-\(UUID().uuidString)").path
  let records = try p.run(store: store, sweep: "p", directory: directory, jobs: 2)
  #expect(records.count == 4)
  let encoder = JSONEncoder.forRuns
  for (run, record) in zip(p.runs, records) {
    var direct = RecurrentRunRecord(run, trainRecurrent(run.configuration))
    direct.seconds = record.seconds
    #expect(try encoder.encode(record) == encoder.encode(direct), "\(run.path)")
    #expect(record.metrics.last?.testAccuracyPerHead?.count == 2)
    #expect(FileManager.default.fileExists(atPath: "\(directory)/\(run.path)/record.json"))
  }
  try FileManager.default.removeItem(atPath: directory)
  let again = try p.run(store: store, sweep: "p", directory: directory, jobs: 2)
  #expect(try again.map { try encoder.encode($0) } == records.map { try encoder.encode($0) })
  #expect(try store.runs(sweep: "p").allSatisfy { $0.attempts == 1 })
  #expect(FileManager.default.fileExists(atPath: "\(directory)/\(p.runs[3].path)/metrics.csv"))
}

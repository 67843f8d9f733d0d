import ArgumentParser
import Data
import Dispatch
import Experiments
import Foundation
import Report
import Runner
import Sweeps
import Tensors

/// `crit demo`: the seed experiment (SPEC §7 protocol 1) end to end, with its report.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the seed experiment (baseline vs spectral penalty τ = 1, λ = 0.1, 5 seeds, "
      + "200 epochs, every indicator every epoch) and write runs/<name>/report.html.")

  @Option(help: "Name of the run directory under --runs (default: the protocol's name, seed-poc).")
  var name: String?

  @Option(help: "Parent directory of the run directory.")
  var runs = "runs"

  @Option(help: "Seeds per condition.")
  var seeds = 5

  @Option(help: "Epochs per run.")
  var epochs = 200

  @Option(help: "Penalty weight λ.")
  var penaltyWeight = 0.1

  @Option(help: "Target top singular value τ.")
  var target = 1.0

  @Option(help: "Record indicators every k epochs.")
  var indicatorsEvery = 1

  @Option(help: "Decision-boundary grid resolution (a power of two).")
  var boundaryResolution = 256

  @Option(help: "Runs in parallel (default: every core).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Flag(help: "A small version for smoke tests: 2 seeds, 20 epochs, indicators every 5 epochs.")
  var quick = false

  @Flag(help: "No progress bar.")
  var quiet = false

  @Option(
    help:
      "Protocol file (YAML or JSON: name, seeds, base, conditions; see examples/seed-poc.yaml). With --config or --set the protocol is defined by them alone."
  )
  var config: String?

  @Option(
    name: .customLong("set"),
    help: "Override a protocol key: seeds=N, name=X or base.key.path=value (repeatable).")
  var overrides: [String] = []

  func validate() throws {
    if seeds < 2 {
      throw ValidationError("--seeds: need at least 2 for confidence intervals, got \(seeds)")
    }
    if seeds > SweepFile.maximumRuns {
      throw ValidationError("--seeds: at most \(SweepFile.maximumRuns), got \(seeds)")
    }
    if epochs < 1 { throw ValidationError("--epochs: must be positive, got \(epochs)") }
    if jobs < 1 || jobs > 1024 {
      throw ValidationError("--jobs: must be in 1…1024, got \(jobs)")
    }
    if !(penaltyWeight >= 0 && penaltyWeight.isFinite) {
      throw ValidationError("--penalty-weight: must be a finite number ≥ 0, got \(penaltyWeight)")
    }
    if !(target > 0 && target.isFinite) {
      throw ValidationError("--target: must be a positive finite number, got \(target)")
    }
  }

  /// The protocol the flags, or the file and overrides, define.
  func resolvedProtocol() throws -> SeedProtocol {
    let fromFlags = SeedProtocol(
      seeds: seeds, epochs: epochs, penaltyWeight: penaltyWeight, target: target,
      indicatorsEvery: indicatorsEvery, boundaryResolution: boundaryResolution)
    var definition = fromFlags
    if config != nil || !overrides.isEmpty {
      // Flags and a file together would leave it unclear which wins: refuse the mix.
      let defaults = SeedProtocol()
      guard
        try JSONEncoder.forRuns.encode(fromFlags) == JSONEncoder.forRuns.encode(defaults)
      else {
        throw ValidationError(
          "--config/--set: cannot be combined with protocol flags (--seeds, --epochs, --penalty-weight, --target, --indicators-every, --boundary-resolution); put them in the file or use --set"
        )
      }
      if let config {
        definition = try ProtocolFile.load(path: config, overrides: overrides)
      } else {
        let encoder = JSONEncoder.forRuns
        encoder.outputFormatting = [.sortedKeys]
        let defaultFile = try String(
          decoding: encoder.encode(DefaultProtocolFile(defaults)), as: UTF8.self)
        definition = try ProtocolFile.parse(
          text: defaultFile, source: "--set", overrides: overrides)
      }
    }
    for condition in definition.conditions { try condition.configuration.validate() }
    // One data set for every run (the protocol compares conditions on the same points).
    guard Set(definition.conditions.map(\.configuration.data)).count == 1 else {
      throw ValidationError(
        "--config: every condition must use the same data (set data keys under base, not in a condition)"
      )
    }
    return quick ? definition.quick() : definition
  }

  func run() throws {
    let definition = try resolvedProtocol()
    if let name { try OutputPath.checkName(name, option: "--name") }
    let directory = "\(runs)/\(name ?? definition.name)"
    try OutputPath.checkDirectory(directory, option: "--runs")
    let (trainSet, testSet) = try definition.conditions[0].configuration.data.load()
    for condition in definition.conditions {
      try condition.configuration.checkMemory(train: trainSet, test: testSet)
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try exportData(train: trainSet, test: testSet, to: directory + "/data")
    let runs = definition.runs
    let conditionNames = definition.conditions.map(\.name)
    @Sendable func runDirectory(
      _ run: (condition: Int, seed: UInt64, configuration: TrainingConfiguration)
    )
      -> String
    { "\(directory)/\(conditionNames[run.condition])/seed-\(run.seed)" }
    // Resume: a run whose directory already holds a finished run of the same configuration
    // (a protocol stopped by Ctrl-C, or rerun with more seeds) is read, not trained again.
    let resumed: [TrainingResult?] = runs.map { run in
      RunDirectory.read(from: runDirectory(run)).flatMap {
        $0.configuration == run.configuration ? $0 : nil
      }
    }
    let pending = runs.indices.filter { resumed[$0] == nil }
    if !quiet && pending.count < runs.count {
      print(
        "resuming: \(runs.count - pending.count) of \(runs.count) runs are already finished in \(directory)/"
      )
    }
    let stop = StopFlag()
    let interrupt = installInterruptHandler(stop)
    defer { interrupt.cancel() }
    let totalEpochs = pending.map { runs[$0].configuration.epochs }.reduce(0, +)
    final class Progress: @unchecked Sendable {
      let lock = NSLock()
      var bar: ProgressBar
      var done = 0
      var finished = 0
      init(_ bar: ProgressBar) { self.bar = bar }
    }
    let progress = Progress(
      ProgressBar(total: totalEpochs, unit: "epoch", enabled: !quiet))
    progress.finished = runs.count - pending.count
    let clock = ContinuousClock()
    let start = clock.now
    let trained = trainInParallel(
      pending.map { runs[$0].configuration }, train: trainSet, test: testSet, jobs: jobs,
      stop: stop,
      onEpoch: { _, row in
        progress.lock.withLock {
          progress.done += 1
          var fields = [("runs done", "\(progress.finished)/\(runs.count)")]
          if let accuracy = row.testAccuracy {
            fields.append(("test acc", String(format: "%.1f%%", 100 * accuracy)))
          }
          progress.bar.update(completed: progress.done, fields: fields)
        }
      },
      onFinish: { index, result in
        let path = runDirectory(runs[pending[index]])
        if case .interrupted = result.status { return }
        do {
          try RunDirectory.write(result, to: path)
        } catch {
          Crit.writeToStandardError("crit: could not write \(path): \(error)")
        }
        progress.lock.withLock { progress.finished += 1 }
      })
    var results = resumed
    for (k, index) in pending.enumerated() { results[index] = trained[k] }
    progress.lock.withLock { progress.bar.finish() }
    let seconds = (clock.now - start).inSeconds
    let finished = results.compactMap { $0 }.filter {
      if case .interrupted = $0.status { return false }
      return true
    }
    if stop.isStopped || finished.count < runs.count {
      throw InterruptedDemo(finished: finished.count, total: runs.count, directory: directory)
    }
    let conditions = definition.conditions.enumerated().map { c, condition in
      ConditionRuns(
        name: condition.name,
        results: zip(runs, results).filter { $0.0.condition == c }.compactMap { $0.1 })
    }
    let report = SeedExperimentReport(
      protocolDefinition: definition, conditions: conditions, train: trainSet, seconds: seconds)
    try report.write(to: directory)
    print(
      renderTable(
        header: ["", "value"],
        rows: [
          [
            "runs",
            "\(runs.count) (\(definition.conditions.count) conditions × \(definition.seeds.count) seeds)",
          ],
          ["time", String(format: "%.1f s", seconds)],
          ["report", "\(directory)/report.html"],
        ]))
    print(report.statement())
  }
}

/// The default protocol in the file format, so that `--set` alone overrides the defaults
/// through the same validation as a file.
struct DefaultProtocolFile: Encodable {
  struct Condition: Encodable {
    var name: String
    var set: [String: RegularizationConfiguration]
  }
  var name: String
  var seeds: Int
  var base: TrainingConfiguration
  var conditions: [Condition]

  init(_ definition: SeedProtocol) {
    name = definition.name
    seeds = definition.seeds.count
    base = definition.base
    conditions = definition.conditions.map {
      Condition(
        name: $0.name,
        set: $0.configuration.regularization == .none
          ? [:] : ["regularization": $0.configuration.regularization])
    }
  }
}

/// Ctrl-C during `crit demo`: the finished runs are on disk; the message says where.
struct InterruptedDemo: Error, CustomStringConvertible {
  var finished: Int
  var total: Int
  var directory: String
  var description: String {
    "interrupted: \(finished) of \(total) runs finished and are kept in \(directory)/; run the same command again to resume (no report was written yet)"
  }
}

/// On SIGINT, asks running work to stop at the next epoch instead of killing the process.
func installInterruptHandler(_ stop: StopFlag) -> DispatchSourceSignal {
  signal(SIGINT, SIG_IGN)
  let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
  source.setEventHandler {
    stop.stop()
    Crit.writeToStandardError("\ncrit: stopping after the current epoch (Ctrl-C)…")
  }
  source.resume()
  return source
}

/// Writes the protocol's data set as `.npy` files (inputs `(n, 2)` float32, labels `(n,)`
/// float32), so that peers (bench/seed_protocol_torch.py) train on exactly the same points.
func exportData(train: Dataset, test: Dataset, to directory: String) throws {
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  for (name, set) in [("train", train), ("test", test)] {
    try writeNPY(set.inputs, to: "\(directory)/\(name)_x.npy")
    try writeNPY(
      Tensor(shape: [set.count], scalars: set.labels.map(Float.init)),
      to: "\(directory)/\(name)_y.npy")
  }
}

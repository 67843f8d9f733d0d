import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

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
        definition = try ProtocolFile.parse(defaults: defaults, overrides: overrides)
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
    let protocolRun = SeedProtocolRun(definition: definition, directory: directory)
    let store = try openStore("sqlite:\(directory)/store.sqlite")
    let sweep = definition.name
    let (alreadyFinished, pendingEpochs) = try protocolRun.register(
      store: store, sweep: sweep, specification: "crit demo")
    let runs = definition.runs
    let bar = LockedBox(ProgressBar(total: pendingEpochs, unit: "epoch", enabled: !quiet))
    if !quiet && alreadyFinished > 0 {
      print(
        "resuming: \(alreadyFinished) of \(runs.count) runs are already finished in \(directory)/"
      )
    }
    let finished = LockedBox(alreadyFinished)
    let stop = StopFlag()
    let interrupt = installInterruptHandler(stop)
    defer { interrupt.cancel() }
    let outcome = try protocolRun.run(
      store: store, sweep: sweep, train: trainSet, test: testSet, jobs: jobs, stop: stop,
      progress: { event in
        switch event {
        case .runFinished: finished.withLock { $0 += 1 }
        case .epoch(let accuracy):
          let done = finished.withLock { $0 }
          var fields = [("runs done", "\(done)/\(runs.count)")]
          if let accuracy { fields.append(("test acc", String(format: "%.1f%%", 100 * accuracy))) }
          bar.withLock { $0.advance(fields: fields) }
        }
      })
    bar.withLock { $0.finish() }
    let seconds = outcome.seconds
    if stop.isStopped || !outcome.isComplete {
      throw InterruptedDemo(
        finished: outcome.finishedCount, total: runs.count, directory: directory)
    }
    let conditions = protocolRun.conditions(outcome)
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

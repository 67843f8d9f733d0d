import ArgumentParser
import Dispatch
import Experiments
import Foundation
import NN
import Report
import Runner
import Statistics
import Sweeps
import Tensors
import Theory

/// `crit run PROTOCOL`: the project's research protocols (SPEC §7), each a sweep through a
/// results store (so it resumes) ending in a report.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a research protocol end to end and write its report.",
    subcommands: [
      AsisrCommand.self, MeanFieldProtocolCommand.self, ReservoirCommand.self,
      TrainabilityCommand.self,
    ])
}

/// `crit run asisr`: SPEC §7 protocol 2 (``AsisrProtocol``).
struct AsisrCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "asisr",
    abstract:
      "Adaptive spectral regularisation, critical learning rate and Jacobian criticality against 10 comparison conditions on 5 tasks; writes runs/<name>/report.html.",
    discussion: """
      The full protocol is 11 conditions × 5 tasks × 10 seeds plus the fixed-target penalty at \
      τ ∈ {0.5, 0.8, 1.0, 1.2, 1.5, 2.0} (800 runs of an 8-layer MLP, 100 epochs). --quick runs \
      every condition on moons and teacher–student with 3 seeds and 30 epochs. Runs go through \
      a results store: run the same command again to resume after an interruption.
      """)

  @Flag(help: "The quick protocol (a few minutes).")
  var quick = false

  @Option(help: "Seeds per cell (default: 10, quick 3).")
  var seeds: Int?

  @Option(help: "Epochs per run (default: 100, quick 30).")
  var epochs: Int?

  @Option(help: "Results store URL (default: sqlite:runs/<name>/sweep.sqlite).")
  var store: String?

  @Option(help: "Parent directory of the protocol's directory.")
  var runs = "runs"

  @Option(help: "Worker threads (default: every core).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Seconds a claimed run stays reserved without renewal.")
  var lease = 120.0

  @Flag(help: "No progress bar.")
  var quiet = false

  func validate() throws {
    if let seeds, seeds < 2 {
      throw ValidationError("--seeds: need at least 2 for confidence intervals, got \(seeds)")
    }
    try checkCount(seeds, "--seeds", 2...OptionLimits.seeds)
    try checkCount(epochs, "--epochs", 1...OptionLimits.epochs)
    try checkCount(jobs, "--jobs", 1...OptionLimits.threads)
    if !(lease > 0 && lease.isFinite) {
      throw ValidationError("--lease: must be a positive number of seconds, got \(lease)")
    }
  }

  func run() throws {
    var definition = quick ? AsisrProtocol.quick() : AsisrProtocol.full()
    if let seeds {
      definition.seeds = (0..<seeds).map(UInt64.init)
      definition.name += "-seeds\(seeds)"
    }
    if let epochs {
      definition.base.epochs = epochs
      definition.name += "-epochs\(epochs)"
    }
    let planned = definition.runs
    for run in planned { try run.configuration.validate() }
    try checkDataAndMemory(planned.map(\.configuration))
    let directory = "\(runs)/\(definition.name)"
    try OutputPath.checkDirectory(directory, option: "--runs")
    let url = store ?? "sqlite:\(directory)/sweep.sqlite"
    let results = try openStore(url)
    try results.register(
      sweep: definition.name,
      specification: "crit run asisr\(quick ? " --quick" : "")",
      runs: planned.map { (configurationHash($0.configuration), $0.configuration, $0.assignments) })
    let (_, after, seconds) = try runWorkers(
      store: results, url: url, sweep: definition.name, jobs: jobs, lease: lease, quiet: quiet)
    // Only this protocol's runs (a store may hold older runs of the same sweep name).
    let plannedHashes = Set(planned.map { configurationHash($0.configuration) })
    let finished = try results.runs(sweep: definition.name).filter {
      ($0.status == "completed" || $0.status == "diverged") && plannedHashes.contains($0.hash)
    }
    let protocolRuns = finished.map { run in
      ProtocolRun(
        condition: run.assignments["condition"] ?? "?", task: run.assignments["task"] ?? "?",
        tau: run.assignments["tau"].flatMap(Double.init), seed: run.configuration.seed,
        status: run.status, metrics: run.metrics, summary: run.summary)
    }
    let report = AsisrReport(
      title: "ASISR protocol (\(definition.name))", runs: protocolRuns,
      conditions: definition.conditions.map(\.name), tasks: definition.tasks.map(\.name),
      seconds: seconds,
      description:
        "\(definition.base.hidden.count)-hidden-layer ReLU MLP (width \(definition.base.hidden.first ?? 0)), Adam 1e-3, batch \(definition.base.batchSize), \(definition.base.epochs) epochs, \(definition.seeds.count) seeds per cell; conditions \(definition.conditions.map(\.name).joined(separator: ", ")); tasks \(definition.tasks.map(\.name).joined(separator: ", "))."
    )
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = "\(directory)/report.html"
    try report.html().write(toFile: path, atomically: true, encoding: .utf8)
    print(headlineTable(report))
    for verdict in report.verdicts() {
      print("• \(verdict.statement) — \(verdict.verdict).")
    }
    print(
      renderTable(
        header: ["", "value"],
        rows: [
          ["runs", "\(after.finished) of \(after.total) finished (\(after.diverged) diverged)"],
          ["this invocation", String(format: "%.1f s", seconds)],
          ["store", url],
          ["report", path],
        ]))
  }

  /// Final test accuracy, condition × task, mean ± 95 % CI (the report's first table).
  func headlineTable(_ report: AsisrReport) -> String {
    let table = report.comparisonTable(AsisrReport.outcomes[0])
    let rows = table.groups.indices.map { g in
      [table.groups[g]] + table.blocks.indices.map { table.summaryText(g, $0) }
    }
    return renderTable(header: ["final test acc %"] + report.tasks, rows: rows)
  }
}

/// `crit run meanfield`: SPEC §7 protocol 3.
struct MeanFieldProtocolCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "meanfield",
    abstract:
      "Mean-field q*, χ₁ and correlation maps beside random networks (width 1000, depth 50) over a grid of (σ_w², σ_b²); writes runs/meanfield-<activation>/report.html."
  )

  @Option(help: "Activation.")
  var activation: Activation = .tanh

  @Option(help: "Width of the random networks.")
  var width = 1000

  @Option(help: "Depth of the random networks.")
  var depth = 50

  @Option(name: .customLong("sigma-w2"), help: "σ_w² values, comma-separated.")
  var weightVariances = "0.5,1,1.5,2,2.5,3,4"

  @Option(name: .customLong("sigma-b2"), help: "σ_b² values, comma-separated.")
  var biasVariances = "0,0.05,0.1,0.3"

  @Flag(help: "A small version: width 400, depth 30, σ_w² ∈ {1, 2, 3}, σ_b² ∈ {0.05, 0.3}.")
  var quick = false

  @Option(help: "Parent directory of the report's directory.")
  var runs = "runs"

  @Option(help: "Seed of the networks.")
  var seed: UInt64 = 0

  @Flag(help: "No progress bar.")
  var quiet = false

  func run() throws {
    try OutputPath.checkDirectory(
      "\(runs)/meanfield-\(activation.rawValue)\(quick ? "-quick" : "")", option: "--runs")
    let (width, depth) = quick ? (400, 30) : (self.width, self.depth)
    guard width >= 10 && width <= 8192 else {
      throw ValidationError("--width: must be in 10…8192, got \(width)")
    }
    guard depth >= 2 && depth <= 1000 else {
      throw ValidationError("--depth: must be in 2…1000, got \(depth)")
    }
    let nonNegative = "every value must be a finite number in [0, 1e6]"
    let weights =
      quick
      ? [1, 2, 3]
      : try numberList(weightVariances, flag: "--sigma-w2", nonNegative) {
        $0 >= 0 && $0 <= MeanField.maximumVariance
      }
    let biases =
      quick
      ? [0.05, 0.3]
      : try numberList(biasVariances, flag: "--sigma-b2", nonNegative) {
        $0 >= 0 && $0 <= MeanField.maximumVariance
      }
    guard weights.allSatisfy({ $0 > 0 }) else {
      throw ValidationError("--sigma-w2: every value must be positive")
    }
    let grid = biases.flatMap { b in weights.map { (w: $0, b: b) } }
    let bar = LockedBox(ProgressBar(total: grid.count, unit: "network", enabled: !quiet))
    let clock = ContinuousClock()
    let start = clock.now
    let activation = self.activation
    let seed = self.seed
    let points = ParallelMap.all(
      grid, jobs: ProcessInfo.processInfo.activeProcessorCount,
      onResult: { index, _ in bar.withLock { $0.advance() } }
    ) { i, point in
      MeanFieldReport.Point(
        weightVariance: point.w, biasVariance: point.b,
        theory: MeanField(activation: activation, weightVariance: point.w, biasVariance: point.b),
        measurement: RandomNetworkMeasurement(
          activation: activation, weightVariance: point.w, biasVariance: point.b, width: width,
          depth: depth, seed: seed &+ UInt64(i)))
    }
    bar.withLock { $0.finish() }
    let seconds = (clock.now - start).inSeconds
    let report = MeanFieldReport(
      activation: activation, width: width, depth: depth, points: points,
      seconds: seconds)
    let directory = "\(runs)/meanfield-\(activation.rawValue)\(quick ? "-quick" : "")"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try report.html().write(toFile: "\(directory)/report.html", atomically: true, encoding: .utf8)
    print(renderTable(header: MeanFieldReport.header, rows: report.rows))
    print("\(directory)/report.html")
  }
}

import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

/// `crit run PROTOCOL`: the project's research protocols (SPEC §7), each a sweep through a
/// results store (so it resumes) ending in a report.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a research protocol end to end and write its report.",
    subcommands: [
      AsisrCommand.self, AttentionCommand.self, MeanFieldProtocolCommand.self,
      ReservoirCommand.self,
      SampleComplexityCommand.self, ScalingCommand.self, TrainabilityCommand.self,
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

  @OptionGroup var options: ProtocolRunOptions

  func validate() throws {
    if let seeds, seeds < 2 {
      throw ValidationError("--seeds: need at least 2 for confidence intervals, got \(seeds)")
    }
    try checkCount(seeds, "--seeds", 2...OptionLimits.seeds)
    try checkCount(epochs, "--epochs", 1...OptionLimits.epochs)
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
    let directory = try options.directory(for: definition.name)
    let url = options.storeURL(directory: directory)
    let results = try openStore(url)
    try results.register(
      sweep: definition.name,
      specification: "crit run asisr\(quick ? " --quick" : "")",
      runs: planned.map { (configurationHash($0.configuration), $0.configuration, $0.assignments) })
    let (_, after, seconds) = try runWorkers(
      store: results, url: url, sweep: definition.name, jobs: options.jobs,
      lease: options.lease ?? 120, quiet: options.quiet)
    // Only this protocol's runs (a store may hold older runs of the same sweep name).
    let plannedHashes = Set(planned.map { configurationHash($0.configuration) })
    let finished = try results.runs(sweep: definition.name).filter {
      ($0.status == "completed" || $0.status == "diverged") && plannedHashes.contains($0.hash)
    }
    let protocolRuns = finished.map { run in
      ProtocolRun(
        condition: run.assignments["condition"] ?? "?", task: run.assignments["task"] ?? "?",
        tau: run.assignments["tau"].flatMap(Double.init), seed: run.seed,
        status: run.status.name, metrics: run.metrics, summary: run.summary)
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

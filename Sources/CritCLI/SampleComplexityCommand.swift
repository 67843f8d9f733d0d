import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

/// `crit run sample-complexity`: SPEC §7 protocol 8 (``SampleComplexityProtocol``).
struct SampleComplexityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample-complexity",
    abstract:
      "Feature learning and its sample complexity: erf networks sampled by Langevin dynamics on He₃(w*·x) against their Gaussian process; P*(d) and its slope; writes runs/<name>/report.html.",
    discussion: """
      Two-layer erf networks of width 2d (standard parameterisation, a ~ N(0, 1/N), \
      w ~ N(0, I/d)) at temperature T = 0.01, for d = 8, 16, 32, 64 and P/d = 2…128 up to 4096 \
      points (3 draws, 6000 steps), the NNGP regression beside each and alone up to P/d = 1024 \
      (at most 8192 points), and the mixed target w*·x + 0.1 He₃(w*·x) at d = 32 over 20 000 \
      steps (about 20 minutes on two cores). P* is where the mean overlap A first reaches ¼ \
      (and ½). --quick: d = 8, 16, P/d = 4…64, 3000 steps, 2 draws (under a minute). Runs go \
      through a results store: run the same command again to resume after an interruption.
      """)

  @Flag(help: "The quick protocol (a few minutes).")
  var quick = false

  @Option(help: "Input dimensions d, comma-separated (default 8,16,32,64; quick 8,16).")
  var dimensions: String?

  @Option(help: "Ratios P/d of the networks, comma-separated (default 2,4,…,128; quick 4,…,64).")
  var ratios: String?

  @Option(help: "Draws (data and network seeds) per point (default 3; quick 2).")
  var seeds: Int?

  @Option(
    help:
      "Langevin steps per network and for the mixed target (default 6000 and 20000; quick 3000).")
  var steps: Int?

  @Option(
    help: "Temperature T, the posterior's noise variance (default 0.01; 0 = gradient descent).")
  var temperature: Double?

  @OptionGroup var options: ProtocolRunOptions

  func validate() throws {
    try checkCount(seeds, "--seeds", 1...1000)
    try checkCount(steps, "--steps", 0...100_000_000)
    if let temperature, !(temperature >= 0 && temperature.isFinite) {
      throw ValidationError("--temperature: must be a finite number ≥ 0, got \(temperature)")
    }
  }

  /// The protocol with the options applied; its name records every change.
  func definition() throws -> SampleComplexityProtocol {
    var definition = quick ? SampleComplexityProtocol.quick() : SampleComplexityProtocol.full()
    func list(_ text: String, _ option: String, _ range: ClosedRange<Int>) throws -> [Int] {
      let values = try parseWidths(text, option: option)
      guard !values.isEmpty, values.allSatisfy({ range.contains($0) }) else {
        throw ValidationError(
          "\(option): every value must be in \(range.lowerBound)…\(range.upperBound), got \(text)")
      }
      return Array(Set(values)).sorted()
    }
    if let dimensions {
      definition.dimensions = try list(dimensions, "--dimensions", 1...4096)
      definition.name += "-d\(definition.dimensions.map(String.init).joined(separator: "_"))"
    }
    if let ratios {
      definition.ratios = try list(ratios, "--ratios", 1...65_536)
      definition.name += "-r\(definition.ratios.map(String.init).joined(separator: "_"))"
    }
    if let seeds {
      definition.seeds = seeds
      definition.name += "-s\(seeds)"
    }
    if let steps {
      definition.steps = steps
      definition.mixedSteps = steps
      definition.recordEvery = max(1, steps / 20)
      definition.mixedRecordEvery = max(1, steps / 80)
      definition.name += "-n\(steps)"
    }
    if let temperature {
      definition.temperature = temperature
      definition.name += "-T\(temperature)"
    }
    do {
      try definition.validate()
    } catch let error as ConfigurationError {
      throw ValidationError("the protocol cannot run: \(error.key): \(error.message)")
    }
    return definition
  }

  /// The command as typed, for the report (options in a fixed order).
  var commandLine: String {
    var words = ["crit run sample-complexity"]
    if quick { words.append("--quick") }
    let options: [(String, String?)] = [
      ("--dimensions", dimensions), ("--ratios", ratios), ("--seeds", seeds.map(String.init)),
      ("--steps", steps.map(String.init)), ("--temperature", temperature.map { "\($0)" }),
    ]
    for case let (option, value?) in options { words.append("\(option) \(value)") }
    return words.joined(separator: " ")
  }

  func run() throws {
    let definition = try definition()
    let execution = try options.execute(
      name: definition.name, parts: ["networks", "kernels", "mixed"],
      total: definition.networkRuns.count + definition.kernelRuns.count
        + definition.mixedRuns.count,
      defaultLease: 300, units: { "\($0) run" }
    ) { store, lease, stop, progress in
      try definition.run(
        store: store, sweep: definition.name, jobs: options.jobs, lease: lease, stop: stop,
        progress: progress)
    }
    let summary = execution.summary
    let report = SampleComplexityReport(
      summary: summary, seconds: execution.seconds, command: commandLine)
    print(renderTable(header: SampleComplexityReport.thresholdHeader, rows: report.thresholdRows))
    print(renderTable(header: SampleComplexityReport.slopeHeader, rows: report.slopeRows))
    for sentence in summary.verdicts() { print("• \(sentence)") }
    try execution.finish(report: report.html())
  }
}

import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

/// `crit run scaling`: SPEC §7 protocol 6 (``ScalingProtocol``).
struct ScalingCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scaling",
    abstract:
      "Scaling laws and the kernel limit: kernel spectra, theory and measured learning curves, trained networks of several widths; writes runs/<name>/report.html.",
    discussion: """
      Power-law Gaussian data (d = 64, α = 1, linear teacher) and a two-layer erf network's \
      NNGP and NTK. The full protocol: 8 data draws with spectra of 8192 points and kernel ridge \
      regression at P = 16…4096; networks of width 64, 256 and 1024 trained to convergence at \
      P = 16…1024 on 4 draws (about 40 minutes on two cores). --quick: 6 draws, \
      P = 16…256, widths 64 and 512 on 3 draws (a few minutes). Runs go through a results \
      store: run the same command again to resume after an interruption.
      """)

  @Flag(help: "The quick protocol (a few minutes).")
  var quick = false

  @Option(help: "Data draws for the kernel curves (default: 8, quick 6).")
  var draws: Int?

  @Option(help: "Network widths, comma-separated (default: 64,256,1024; quick 64,512).")
  var widths: String?

  @Option(
    help: "Largest training-set size P of the kernel grid 16, 32, … (default 4096; quick 256).")
  var maxSamples: Int?

  @Option(help: "Points M of each draw's spectrum (default 8192; quick 2048).")
  var spectrumPoints: Int?

  @Option(help: "Test points per draw (default 2000; quick 500).")
  var testPoints: Int?

  @Option(help: "Input dimension d of the power-law data (default 64).")
  var dimension: Int?

  @OptionGroup var options: ProtocolRunOptions

  func validate() throws {
    try checkCount(draws, "--draws", 2...1000)
    try checkCount(maxSamples, "--max-samples", 16...65_536)
    try checkCount(spectrumPoints, "--spectrum-points", 16...65_536)
    try checkCount(testPoints, "--test-points", 1...1_000_000)
    try checkCount(dimension, "--dimension", 1...100_000)
  }

  /// The protocol with the options applied; its name records every change.
  func definition() throws -> ScalingProtocol {
    var definition = quick ? ScalingProtocol.quick() : ScalingProtocol.full()
    if let draws {
      definition.draws = draws
      definition.networkDraws = min(definition.networkDraws, draws)
      definition.name += "-draws\(draws)"
    }
    if let widths {
      let values = try parseWidths(widths, option: "--widths")
      guard !values.isEmpty, values.allSatisfy({ (1...65_536).contains($0) }) else {
        throw ValidationError("--widths: every width must be in 1…65536, got \(widths)")
      }
      definition.widths = values
      definition.name += "-w\(values.map(String.init).joined(separator: "_"))"
    }
    if let maxSamples {
      definition.samples = sequence(first: 16) { $0 * 2 }.prefix { $0 <= maxSamples }.map { $0 }
      definition.networkSamples = definition.networkSamples.filter { $0 <= maxSamples }
      if definition.networkSamples.isEmpty { definition.networkSamples = [16] }
      definition.name += "-p\(maxSamples)"
    }
    if let spectrumPoints {
      definition.spectrumPoints = spectrumPoints
      definition.name += "-m\(spectrumPoints)"
    }
    if let testPoints {
      definition.testCount = testPoints
      definition.name += "-t\(testPoints)"
    }
    if let dimension {
      definition.data.dimension = dimension
      definition.name += "-d\(dimension)"
    }
    guard let largest = definition.samples.last, largest <= definition.spectrumPoints else {
      throw ValidationError(
        "--max-samples: the largest P (\(definition.samples.last ?? 0)) must not exceed --spectrum-points (\(definition.spectrumPoints))"
      )
    }
    return definition
  }

  /// The command as typed, for the report (options in a fixed order).
  var commandLine: String {
    var words = ["crit run scaling"]
    if quick { words.append("--quick") }
    let options: [(String, String?)] = [
      ("--draws", draws.map(String.init)), ("--widths", widths),
      ("--max-samples", maxSamples.map(String.init)),
      ("--spectrum-points", spectrumPoints.map(String.init)),
      ("--test-points", testPoints.map(String.init)), ("--dimension", dimension.map(String.init)),
    ]
    for case let (option, value?) in options { words.append("\(option) \(value)") }
    return words.joined(separator: " ")
  }

  func run() throws {
    let definition = try definition()
    let jobs = options.jobs
    try MemoryBudget.check(
      definition.estimatedBytesPerDraw * Double(jobs), for: "\(jobs) kernel draws at once")
    let execution = try options.execute(
      name: definition.name, parts: ["kernels", "networks"],
      total: definition.kernelDraws.count + definition.networkRuns.count, defaultLease: 300,
      units: { $0 == "kernels" ? "draw" : "network" }
    ) { store, lease, stop, progress in
      try definition.run(
        store: store, sweep: definition.name, jobs: jobs, lease: lease, stop: stop,
        progress: progress)
    }
    let summary = execution.summary
    let report = ScalingReport(summary: summary, seconds: execution.seconds, command: commandLine)
    print(renderTable(header: ScalingReport.exponentHeader, rows: report.exponentRows))
    print(renderTable(header: ScalingReport.kernelHeader, rows: report.kernelRows))
    for sentence in summary.verdicts() { print("• \(sentence)") }
    try execution.finish(report: report.html())
  }
}

import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

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
    let bar = LockedBox(
      ProgressBar(total: weights.count * biases.count, unit: "network", enabled: !quiet))
    let clock = ContinuousClock()
    let start = clock.now
    let points = MeanFieldComparison.grid(
      activation: activation, width: width, depth: depth, weightVariances: weights,
      biasVariances: biases, seed: seed, jobs: ProcessInfo.processInfo.activeProcessorCount,
      progress: { bar.withLock { $0.advance() } })
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

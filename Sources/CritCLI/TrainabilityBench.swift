import ArgumentParser
import Experiments
import Foundation

/// `crit bench trainability`: throughput of the batched trainability trainer, in pixels × steps
/// per second, on a square grid of the wide view [−3, 6]² of the reference problem.
struct TrainabilityBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trainability",
    abstract:
      "Time the batched trainer of the fractal-trainability experiment (pixels × steps / s).")

  @Option(help: "Grid resolution r (r × r pixels).")
  var resolution = 32

  @Option(help: "Gradient-descent steps per pixel.")
  var steps = 200

  @Option(help: "Threads.")
  var threads = 1

  @Option(help: "Activation: tanh, relu or identity.")
  var activation: Activation = .tanh

  @Option(help: "Arithmetic: float64 or float32.")
  var precision: TrainabilityPrecision = .float64

  @Flag(
    help:
      "Instead of timing: compare every variant's batched frames with the straightforward trainer (32² by default, three views, full-size network)."
  )
  var check = false

  func run() throws {
    if check { return try runCheck() }
    guard resolution >= 1, resolution <= 4096 else {
      throw ValidationError("--resolution: must be in 1…4096, got \(resolution)")
    }
    try checkCount(steps, "--steps", 1...OptionLimits.steps)
    try checkCount(threads, "--threads", 1...OptionLimits.threads, tooFew: "must be at least 1")
    let result = TrainabilityBenchmark.run(
      resolution: resolution, steps: steps, threads: threads, activation: activation,
      precision: precision)
    print(
      String(
        format: "%d pixels × %d steps in %.2f s: %.0f pixel-steps/s (%d converged)",
        result.pixels, steps, result.seconds, result.pixelStepsPerSecond, result.converged))
    let computed = Double(result.laneSteps) / Double(result.pixels * steps)
    print(
      String(
        format:
          "products: %.1f GFLOP/s over the %.0f %% of member-steps computed = %.1f %% of the "
          + "float64 FMA peak probed in this run (\(result.peak.instructionSet), %d thread(s): "
          + "%.1f GFLOP/s)",
        result.flopsPerSecond / 1e9, 100 * computed, 100 * result.fractionOfPeak,
        result.peak.threads, result.peak.flopsPerSecond / 1e9))
  }
}

extension TrainabilityBench {
  /// `--check`: every variant at three views against the straightforward trainer.
  func runCheck() throws {
    var rows: [[String]] = []
    var failed = false
    TrainabilityBenchmark.check(steps: steps, resolution: resolution, threads: threads) {
      setup, result, seconds in
      let pixels = result.views.count * resolution * resolution
      failed = failed || !result.mismatches.isEmpty
      rows.append([
        setup.name, result.views.map { String(format: "%.3g", $0.width) }.joined(separator: ", "),
        result.converged.map(String.init).joined(separator: ", "), "\(pixels)",
        "\(result.mismatches.count)", "\(result.classMismatches)",
        String(format: "%.0f s", seconds),
      ])
      print(rows.last!.joined(separator: "  "))
    }
    print(
      renderTable(
        header: [
          "setup", "view widths", "converged per view", "pixels", "measures differing",
          "classes differing", "time",
        ], rows: rows))
    if failed { throw ValidationError("the batched trainer differs from the straightforward one") }
  }
}

import ArgumentParser
import Experiments
import Foundation

/// `crit bench powerlaw`: fits power laws to the reference samples (Pareto α = 2.5 and 3.5,
/// lognormal μ = 0, σ = 1; n = 2000, seeded) and writes the samples as text, so that
/// `bench/compare-powerlaw.sh` can fit the very same numbers with the common Python package.
struct PowerLawBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "powerlaw",
    abstract:
      "Power-law fits (Clauset–Shalizi–Newman) on seeded Pareto and lognormal samples; writes the samples for a peer."
  )

  @Option(help: "Directory for the samples (one value per line, full precision).")
  var out = "runs/powerlaw-samples"

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    try OutputPath.checkDirectory(out, option: "--out")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let samples = PowerLawBenchmark.samples()
    for (name, values) in samples {
      try values.map { String(format: "%.17g", $0) }.joined(separator: "\n")
        .appending("\n").write(toFile: "\(out)/\(name).txt", atomically: true, encoding: .utf8)
    }
    let rows = PowerLawBenchmark.fits(samples)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      print(String(decoding: try encoder.encode(rows), as: UTF8.self))
    } else {
      print(
        renderTable(
          header: ["sample", "α", "σ(α)", "x_min", "KS D", "tail n", "R/(s√n) vs lognormal", "p"],
          rows: rows.map {
            [
              $0.sample, String(format: "%.4f", $0.alpha), String(format: "%.4f", $0.standardError),
              String(format: "%.4g", $0.xMin), String(format: "%.4f", $0.ksDistance), "\($0.tail)",
              String(format: "%+.3f", $0.lognormalRatio), String(format: "%.3g", $0.lognormalP),
            ]
          }))
    }
  }
}

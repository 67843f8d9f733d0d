import ArgumentParser
import Experiments
import Foundation
import Report

/// `crit theory lyapunov`: λ_max of random recurrent networks, mean field beside simulation.
struct LyapunovCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lyapunov",
    abstract:
      "Maximal Lyapunov exponent of h ← φ(g W h + b): mean field beside the QR method on simulated networks."
  )

  @Option(help: "Activation.")
  var activation: Activation = .tanh

  @Option(help: "Gains g, comma-separated.")
  var gains = "0.5,0.9,1.2,1.5,2,3"

  @Option(help: "Units N of each simulated network.")
  var units = 1000

  @Option(help: "Steps averaged (after the transient).")
  var steps = 3000

  @Option(help: "Transient steps discarded.")
  var transient = 500

  @Option(name: .customLong("sigma-b2"), help: "Bias variance σ_b².")
  var biasVariance = 0.0

  @Option(help: "Seed of the networks.")
  var seed: UInt64 = 0

  @Option(
    help:
      "Drive each unit with independent N(0, s²) noise every step (mean field adds s² to the variance)."
  )
  var drive = 0.0

  @Option(help: "Lyapunov exponents to compute per network (the first k of the spectrum).")
  var exponents = 1

  @Option(help: "Write a chart of λ_max against g here (SVG).")
  var out: String?

  func run() throws {
    if let out { try OutputPath.checkFile(out, option: "--out") }
    // The mean-field side integrates with variance g²·q* + σ_b² + drive², accurate up to 10⁶.
    let values = try numberList(
      gains, flag: "--gains", "every gain must be a finite number in (0, 1000]"
    ) { $0 > 0 && $0 <= 1000 }
    guard units >= 2 && units <= 20_000 else {
      throw ValidationError("--units: must be in 2…20000, got \(units)")
    }
    try checkCount(steps, "--steps", 1...OptionLimits.steps)
    try checkCount(transient, "--transient", 0...OptionLimits.steps)
    try checkNumber(biasVariance, "--sigma-b2", 0...MeanField.maximumVariance)
    try checkNumber(drive, "--drive", 0...1000)
    guard exponents >= 1 && exponents <= units else {
      throw ValidationError("--exponents: must be in 1…units (\(units)), got \(exponents)")
    }
    let scan = LyapunovScan(
      activation: activation, gains: values, units: units, steps: steps, transient: transient,
      biasVariance: biasVariance, drive: drive, exponents: exponents, seed: seed)
    let progress = LockedProgress(total: values.count, unit: "network", enabled: true)
    let spectra = scan.simulate(
      jobs: ProcessInfo.processInfo.activeProcessorCount, progress: { progress.update($0) })
    progress.finish()
    let simulated = spectra.map { $0[0] }
    let theory = values.map(scan.meanField)
    if exponents > 1 {
      print(
        renderTable(
          header: ["g"] + (1...exponents).map { "λ_\($0)" },
          rows: zip(values, spectra).map { g, spectrum in
            [String(format: "%g", g)] + spectrum.map { String(format: "%+.4f", $0) }
          }))
    }
    print(
      renderTable(
        header: ["g", "λ_max mean field", "λ_max simulated (N = \(units))", "difference"],
        rows: values.indices.map { i in
          [
            String(format: "%g", values[i]), String(format: "%+.4f", theory[i]),
            String(format: "%+.4f", simulated[i]),
            String(format: "%+.4f", simulated[i] - theory[i]),
          ]
        }))
    if let out {
      let svg = TheoryFigures.lyapunovChart(scan, simulated: simulated)
      try svg.write(toFile: out, atomically: true, encoding: .utf8)
      print(out)
    }
  }
}

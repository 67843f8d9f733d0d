import ArgumentParser
import Experiments
import Foundation
import Report

/// `crit theory kernel`: NNGP and NTK spectra on generated data, their exponents and the
/// learning curve they predict.
struct KernelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernel",
    abstract:
      "NNGP and NTK of a deep network on generated data: spectra, exponents, predicted learning curve.",
    discussion: """
      The kernels are neural-tangents' (depth × (Dense(σ_w, σ_b), φ) + Dense, input kernel \
      x·x′/d, NTK parameterisation unless --parameterization standard). η_k are the eigenvalues of the kernel matrix over P, v_k² \
      the target's power in each eigenmode; b and a are fitted to η_k ∝ k^−b and v_k² ∝ k^−a, \
      and min(a − 1, 2b) is the learning-curve exponent they predict. The table of the theory's \
      test error E_g(P′) solves κ = λ + κ Σ η_k/(P′η_k + κ) on the measured spectrum (ridgeless). \
      Example: crit theory kernel --dataset power-law --samples 1024 --task regression
      """)

  @OptionGroup var data: DataOptions

  @Option(help: "Activation.")
  var activation: Activation = .relu

  @Option(help: "Hidden layers.")
  var depth = 3

  @Option(help: "σ_w (weights N(0, σ_w²/fan_in)).")
  var sigmaW = 2.0.squareRoot()

  @Option(help: "σ_b (biases N(0, σ_b²)).")
  var sigmaB = 0.0

  @Option(
    help:
      "Parameterisation: ntk, or standard (its NTK grows with --width; the NNGP is the same).")
  var parameterization: TwoLayerNetwork.Parameterisation = .ntk

  @Option(help: "Hidden width N (the standard parameterisation's NTK depends on it).")
  var width = 1

  @Option(help: "Independent data sets (data seeds) the exponents are averaged over.")
  var draws = 3

  @Option(help: "First mode of the exponent fits (default 2).")
  var fitFrom: Int?

  @Option(help: "Last mode of the exponent fits (default P/8).")
  var fitTo: Int?

  @Option(help: "Threads for the kernel matrices (default: every core).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Write the spectra as an SVG chart here.")
  var out: String?

  func run() throws {
    if let out { try OutputPath.checkFile(out, option: "--out") }
    try checkCount(depth, "--depth", 0...100)
    try checkCount(draws, "--draws", 1...1000)
    try checkCount(width, "--width", 1...1_000_000)
    try checkCount(jobs, "--jobs", 1...OptionLimits.threads)
    try checkNumber(sigmaW, "--sigma-w", 0...1000)
    try checkNumber(sigmaB, "--sigma-b", 0...1000)
    let configuration = data.configuration
    // The data keys are checked as `crit train` checks them (finite noise, sizes in range).
    var training = TrainingConfiguration()
    training.data = configuration
    try training.validate()
    let p = configuration.count
    try checkCount(p, "--samples", 8...65_536)
    let (from, to) = (fitFrom ?? 2, fitTo ?? max(3, p / 8))
    // Compared one bound at a time, so that no extreme value overflows.
    guard from >= 1, from <= p, to <= p, to > from, to - from >= 2 else {
      throw ValidationError(
        "--fit-from and --fit-to: need 1 ≤ from, from + 2 ≤ to ≤ --samples (\(p)), got \(from)…\(to)"
      )
    }
    let modes = from...to
    let analysis = KernelAnalysis(
      data: configuration,
      kernel: NeuralKernel(
        activation: activation, depth: depth, weightStd: sigmaW, biasStd: sigmaB,
        parameterisation: parameterization, width: width),
      draws: draws, modes: modes)
    try MemoryBudget.check(analysis.estimatedBytes, for: "--samples \(p)")
    let result = try analysis.run(jobs: jobs)
    print(
      renderTable(
        header: [
          "P = \(p), modes \(modes.lowerBound)…\(modes.upperBound), \(draws) draws",
          "b (η_k ∝ k^−b)", "a (v_k² ∝ k^−a)", "min(a − 1, 2b)",
        ],
        rows: [("NNGP", result.nngp), ("NTK", result.ntk)].map { name, e in
          [
            name, formatInterval(e.eigenvalues, "%.3f"), formatInterval(e.target, "%.3f"),
            formatInterval(e.predicted, "%.3f"),
          ]
        }))
    print(
      renderTable(
        header: ["P′", "κ NNGP", "E_g NNGP", "κ NTK", "E_g NTK"],
        rows: zip(result.nngpCurve, result.ntkCurve).map { n, t in
          [
            String(format: "%.0f", n.samples), String(format: "%.4g", n.kappa),
            String(format: "%.4g", n.error), String(format: "%.4g", t.kappa),
            String(format: "%.4g", t.error),
          ]
        }))
    print(String(format: "%.2f s", result.seconds))
    if let out {
      let series = [("NNGP", result.nngpSpectrum), ("NTK", result.ntkSpectrum)].enumerated().map {
        index, named in
        let positive = named.1.eigenvalues.enumerated().filter { $0.element > 0 }
        return PlotSeries(
          name: named.0, color: SVGPlot.palette[index],
          x: positive.map { log10(Double($0.offset + 1)) },
          y: positive.map { log10($0.element) })
      }
      try SVGPlot.lineChart(
        title: "kernel spectra, \(activation.rawValue), depth \(depth)", xLabel: "log₁₀ k",
        yLabel: "log₁₀ η_k", series: series
      ).write(toFile: out, atomically: true, encoding: .utf8)
      print(out)
    }
  }
}

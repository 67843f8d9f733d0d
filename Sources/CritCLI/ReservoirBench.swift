import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

/// `crit bench reservoir`: the echo-state memory-capacity sweep timed end to end (reservoirs
/// drawn, driven, read out and scored), for comparison with bench/reservoir_reference.py.
struct ReservoirBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reservoir",
    abstract:
      "Time the memory-capacity sweep over spectral radii (bash bench/compare-reservoir.sh).")

  @Option(help: "Reservoir units N.")
  var units = 500

  @Option(help: "Steps of each driven run: washout 10 %, training 60 %, test 30 %.")
  var steps = 10_000

  @Option(help: "Spectral radii, comma-separated (default 0.1,0.2,…,1.6).")
  var rhos = (1...16).map { String(Double($0) / 10) }.joined(separator: ",")

  @Option(help: "Reservoir seeds per radius.")
  var seeds = 1

  @Option(help: "Input scaling (default 0.1; 1 with --reservoirpy-defaults).")
  var inputScaling: Double?

  @Flag(
    help:
      "reservoirpy 0.4's Reservoir defaults: W with connectivity 0.1, W_in ±1 with input connectivity 0.1, input scaling 1."
  )
  var reservoirpyDefaults = false

  @Option(help: "Ridge strength β.")
  var ridge = 1e-6

  @Option(help: "Readout solver: cholesky (normal equations) or qr (for linear reservoirs).")
  var solver: RidgeSolver = .cholesky

  @Option(help: "Largest delay K (default min(2N, washout)).")
  var maxDelay: Int?

  @Option(help: "Threads (worker threads; BLAS runs single-threaded inside each).")
  var threads = 1

  @Option(help: "Reservoir activation: tanh or identity.")
  var activation: Activation = .tanh

  @Flag(help: "Print JSON (seconds_total, rho, mc_mean) instead of a table.")
  var json = false

  /// The reservoir the options describe.
  func reservoirConfiguration() -> ReservoirConfiguration {
    var reservoir =
      reservoirpyDefaults
      ? .reservoirpyDefaults(units: units) : ReservoirConfiguration(units: units, inputScaling: 0.1)
    reservoir.activation = activation
    if let inputScaling { reservoir.inputScaling = inputScaling }
    return reservoir
  }

  func run() throws {
    try checkCount(threads, "--threads", 1...OptionLimits.threads)
    try checkCount(steps, "--steps", 100...OptionLimits.steps)
    try checkCount(seeds, "--seeds", 1...OptionLimits.seeds)
    try checkCount(units, "--units", 1...OptionLimits.units)
    try checkCount(maxDelay, "--max-delay", 0...OptionLimits.steps)
    try checkNumber(inputScaling, "--input-scaling", 0...1e6)
    try checkNumber(ridge, "--ridge", 0...1e12)
    // The reservoir matrix, the driven states and the readout's normal equations, per thread.
    try MemoryBudget.check(
      8 * Double(min(threads, seeds * 16))
        * (3 * Double(units) * Double(units) + 2 * Double(steps) * Double(units)),
      for: "--units \(units) --steps \(steps)")
    let radii = try numberList(
      rhos, flag: "--rhos", "every spectral radius must be a finite number ≥ 0"
    ) {
      $0 >= 0
    }
    let washout = steps / 10
    let train = steps * 6 / 10
    let readout = ReadoutProtocol(
      washout: washout, train: train, test: steps - washout - train, ridge: ridge, solver: solver)
    let sweep = EchoStateSweep(
      reservoir: reservoirConfiguration(),
      radii: radii, readout: readout, maxDelay: maxDelay ?? min(2 * units, washout),
      seeds: (0..<seeds).map(UInt64.init), narma: false)
    let result = try ReservoirBenchmark.run(sweep, jobs: threads)

    let (means, seconds) = (result.means, result.seconds)
    if json {
      struct Output: Encodable {
        var implementation = "crit"
        var units: Int
        var steps: Int
        var seeds: Int
        var threads: Int
        var seconds_total: Double
        var rho: [Double]
        var mc_mean: [Double]
        var mc_ci95: [Double?]
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let output = Output(
        units: units, steps: steps, seeds: seeds, threads: threads, seconds_total: seconds,
        rho: radii, mc_mean: means,
        mc_ci95: result.halfWidths.map { $0.isFinite ? $0 : nil })
      print(String(decoding: try encoder.encode(output), as: UTF8.self))
    } else {
      print(
        renderTable(
          header: ["ρ", "memory capacity"],
          rows: zip(radii, means).map { [String(format: "%.2f", $0), String(format: "%.2f", $1)] }))
      print(
        String(
          format: "%.3f s for %d reservoirs (N = %d, %d steps)", seconds, result.reservoirs, units,
          steps
        ))
    }
  }
}

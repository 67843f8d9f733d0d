import ArgumentParser
import Experiments
import Foundation

/// `crit bench kernel`: the NNGP matrix and its eigendecomposition timed
/// (``KernelBenchmark``), for comparison with bench/neural_kernels_bench.py.
struct KernelBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernel",
    abstract:
      "Time an NNGP kernel matrix, its eigendecomposition and its spectrum with a target's projections (bash bench/compare-kernels.sh)."
  )

  @Option(help: "Points P (the matrix is P × P).")
  var points = 8192

  @Option(help: "Input dimension d.")
  var dimension = 64

  @Option(help: "Threads for the kernel entries and for LAPACK.")
  var threads = 1

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  func run() throws {
    try checkCount(points, "--points", 2...65_536)
    try checkCount(dimension, "--dimension", 1...100_000)
    try checkCount(threads, "--threads", 1...OptionLimits.threads)
    // The kernel, the eigenvectors, LAPACK's workspace and the input Gram matrix.
    try MemoryBudget.check(
      8 * 5 * Double(points) * Double(points), for: "--points \(points)")
    LinearAlgebraThreads.setForBenchmark(threads)
    let result = try KernelBenchmark.run(points: points, dimension: dimension, threads: threads)
    try report(
      result, json: json,
      rows: [
        ["P × d", "\(points) × \(dimension)"], ["threads", "\(threads)"],
        ["kernel matrix", String(format: "%.2f s", result.kernelSeconds)],
        ["eigendecomposition", String(format: "%.2f s", result.eighSeconds)],
        ["total", String(format: "%.2f s", result.totalSeconds)],
        ["eigenvalues + target projections", String(format: "%.2f s", result.spectrumSeconds)],
        ["total (kernel + spectrum)", String(format: "%.2f s", result.spectrumTotalSeconds)],
        [
          "projections: largest difference",
          String(format: "%.1e ‖y‖²", result.largestDifference),
        ],
      ])
  }
}

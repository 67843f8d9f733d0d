import ArgumentParser
import Experiments
import Foundation

/// `crit bench transformer`: a small transformer's training step (``TransformerStepBenchmark``).
struct TransformerBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transformer",
    abstract: "Training step of a 4-layer transformer (width 128, 4 heads, 64 tokens, batch 32) "
      + "(compare with bench/transformer_torch.py, or run bench/compare-transformer.sh).")

  @Option(help: "BLAS threads.")
  var threads: Int = 1

  @Option(help: "Steps per timing (the median of five timings is reported).")
  var steps: Int = 10

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    try checkCount(steps, "--steps", 1...100_000)
    try checkCount(threads, "--threads", 1...OptionLimits.threads, tooFew: "must be at least 1")
    LinearAlgebraThreads.setForBenchmark(threads)
    let r = benchmarkTransformerStep(steps: steps, threads: threads)
    try report(
      r, json: json,
      rows: [
        [
          "model",
          "\(r.depth) pre-LN layers, width \(r.width), \(r.heads) heads, \(r.length) tokens from \(r.vocabulary), batch \(r.batch)",
        ],
        ["threads", "\(r.threads)"],
        ["step time", String(format: "%.2f ms", 1000 * r.secondsPerStep)],
        ["throughput", String(format: "%.1f GFLOP/s", r.gflops)],
      ])
  }
}

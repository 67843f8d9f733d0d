import ArgumentParser
import Experiments
import Foundation

/// `crit bench`: the engine's benchmarks, each reported as a ratio measured in one run.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure training throughput against the machine's own sgemm or a peer.",
    subcommands: [
      StepBench.self, SeedBench.self, PowerLawBench.self, ReservoirBench.self,
      TrainabilityBench.self, KernelBench.self, TransformerBench.self, BenchAllCommand.self,
    ])
}

/// Prints a benchmark result as JSON (for scripts) or as a table.
func report<T: Encodable>(_ value: T, json: Bool, rows: [[String]]) throws {
  if json {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
  } else {
    print(renderTable(header: ["", "value"], rows: rows))
  }
}

struct StepBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "step",
    abstract: "Training step of MLP 784→1024→1024→10, batch 256, as GFLOP/s and as a fraction "
      + "of sgemm at the same shapes.")

  @Option(help: "BLAS threads (default: every core).")
  var threads: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Steps per timing (the median of five timings is reported).")
  var steps: Int = 20

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    try checkCount(steps, "--steps", 1...1_000_000)
    try checkCount(threads, "--threads", 1...OptionLimits.threads, tooFew: "must be at least 1")
    LinearAlgebraThreads.setForBenchmark(threads)
    let r = benchmarkTrainingStep(steps: steps, threads: threads)
    try report(
      r, json: json,
      rows: [
        ["network", r.widths.map(String.init).joined(separator: "→") + ", batch \(r.batchSize)"],
        ["threads", "\(r.threads) (OpenBLAS kernel \(r.blasCore))"],
        ["step time", String(format: "%.2f ms", 1000 * r.secondsPerStep)],
        ["training step", String(format: "%.1f GFLOP/s", r.stepGFLOPS)],
        ["sgemm, same shapes", String(format: "%.1f GFLOP/s", r.sgemmGFLOPS)],
        ["fraction of sgemm", String(format: "%.1f %%", 100 * r.fractionOfSgemm)],
      ])
  }
}

struct SeedBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "seed",
    abstract: "Training epochs per second of the seed network (compare with "
      + "bench/seed_network_torch.py, or run bench/compare-torch.sh).")

  @Option(help: "BLAS threads.")
  var threads: Int = 1

  @Option(help: "Epochs per timing (the median of five timings is reported).")
  var epochs: Int = 100

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    try checkCount(epochs, "--epochs", 1...OptionLimits.epochs)
    try checkCount(threads, "--threads", 1...OptionLimits.threads, tooFew: "must be at least 1")
    LinearAlgebraThreads.setForBenchmark(threads)
    let r = try benchmarkSeedNetwork(epochs: epochs, threads: threads)
    try report(
      r, json: json,
      rows: [
        ["network", "2→64→64→64→2 ReLU, Adam, batch 64, \(r.trainingPoints) points"],
        ["threads", "\(r.threads)"],
        ["epochs per second", String(format: "%.0f", r.epochsPerSecond)],
      ])
  }
}

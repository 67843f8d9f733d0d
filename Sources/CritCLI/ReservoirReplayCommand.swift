import ArgumentParser
import Experiments
import Foundation

/// `crit reservoir`: replays a reservoir given as `.npy` files on an input series; writes its
/// states and, with one input channel, measures their memory capacity.
struct ReservoirReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reservoir",
    abstract:
      "Replay a reservoir given as .npy files (W, W_in, input) and measure its memory capacity.",
    discussion: """
      x(t) = (1 − a) x(t−1) + a φ(W x(t−1) + W_in u(t) + b), x(0) = 0, with W as given (not \
      rescaled): reservoirpy's Reservoir.run computes the same states from the same matrices \
      (export them with W.toarray() and Win.toarray()). With one input channel the memory \
      capacity MC = Σ_k MC_k of delays 0…--max-delay is measured: the first --washout states \
      are dropped, a ridge readout (β = --ridge) is fitted on the next --train and scored on \
      the rest.
      """)

  @Option(help: "The recurrent matrix W, N × N (.npy).")
  var weights: String

  @Option(help: "The input weights W_in, N × d or N values (.npy).")
  var inputWeights: String

  @Option(help: "The input series u, T values or T × d (.npy).")
  var inputs: String

  @Option(help: "A bias b of N values (.npy; default none).")
  var bias: String?

  @Option(help: "Leak rate a in (0, 1].")
  var leakRate = 1.0

  @Option(help: "Activation φ: tanh or identity.")
  var activation: Activation = .tanh

  @Option(help: "Write the states (T × N) here (.npy).")
  var states: String?

  @Option(
    help:
      "Memory capacity: steps dropped before the readout (default: a tenth of T, at least --max-delay)."
  )
  var washout: Int?

  @Option(
    help: "Memory capacity: steps the readout is fitted on (default: two thirds of the rest).")
  var train: Int?

  @Option(help: "Memory capacity: largest delay (default: min(2N, washout)).")
  var maxDelay: Int?

  @Option(help: "Memory capacity: ridge strength β.")
  var ridge = 1e-6

  @Option(help: "Write the results as JSON here.")
  var json: String?

  func run() throws {
    for (path, option) in [(states, "--states"), (json, "--json")] {
      if let path { try OutputPath.checkFile(path, option: option) }
    }
    guard [.tanh, .identity].contains(activation) else {
      throw ValidationError("--activation: '\(activation.rawValue)' (allowed: tanh, identity)")
    }
    try checkNumber(ridge, "--ridge", 0...1e12)
    let replay = try ReservoirReplay(
      weights: weights, inputWeights: inputWeights, inputs: inputs, bias: bias,
      leakRate: leakRate, activation: activation)
    let (steps, units) = (replay.inputs.rows, replay.network.configuration.units)
    var readout: ReadoutProtocol? = nil
    var delay = 0
    if replay.inputs.columns == 1 {
      let p = try readoutProtocol(steps: steps, units: units)
      delay = maxDelay ?? min(2 * units, p.washout)
      try checkCount(
        delay, "--max-delay", 0...p.washout, tooFew: "must be at least 0 (and at most --washout)")
      readout = p
    }
    let result = try replay.run(statesPath: states, readout: readout, maxDelay: delay)
    print(
      "reservoir: N = \(units), \(result.inputChannels) input channel(s), spectral radius of W "
        + String(format: "%.6g", result.spectralRadius) + ", \(steps) steps"
        + (states.map { "; states written to \($0)" } ?? ""))
    if let total = result.totalMemoryCapacity, let p = result.readout {
      print(
        String(format: "memory capacity %.4f over delays 0…%d", total, delay)
          + " (washout \(p.washout), train \(p.train), test \(p.test), ridge \(p.ridge))")
    }
    if let json { try JSONEncoder.forRuns.encode(result).write(to: URL(fileURLWithPath: json)) }
  }

  /// The split of the run into washout, training and test steps.
  func readoutProtocol(steps: Int, units: Int) throws -> ReadoutProtocol {
    let washout = self.washout ?? max(steps / 10, min(maxDelay ?? 2 * units, steps / 4))
    try checkCount(washout, "--washout", 0...max(0, steps - 4))
    let rest = steps - washout
    let train = self.train ?? rest * 2 / 3
    try checkCount(
      train, "--train", 2...max(2, rest - 2),
      tooFew: "must leave at least 2 steps each to fit and to score")
    let p = ReadoutProtocol(washout: washout, train: train, test: rest - train, ridge: ridge)
    if let problem = p.problem { throw ValidationError("--\(problem.key): \(problem.message)") }
    return p
  }
}

import ArgumentParser
import Experiments
import Foundation
import NN

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

  func run() throws {
    guard resolution >= 1, resolution <= 4096 else {
      throw ValidationError("--resolution: must be in 1…4096, got \(resolution)")
    }
    guard steps >= 1 else { throw ValidationError("--steps: must be positive, got \(steps)") }
    guard threads >= 1 else {
      throw ValidationError("--threads: must be at least 1, got \(threads)")
    }
    // The wide view [−3, 6]².
    let rates = learningRateGrid(centre: (1.5, 1.5), width: 9, resolution: resolution)
    let trainer = BatchedTrainability(
      problem: TrainabilityProblem(activation: activation), steps: steps)
    let clock = ContinuousClock()
    let start = clock.now
    let measures = trainer.measures(rates, threads: threads)
    let seconds = (clock.now - start).inSeconds
    let converged = measures.filter(TrainabilityMeasure.converged).count
    print(
      String(
        format: "%d pixels × %d steps in %.2f s: %.0f pixel-steps/s (%d converged)",
        rates.count, steps, seconds, Double(rates.count * steps) / seconds, converged))
  }
}

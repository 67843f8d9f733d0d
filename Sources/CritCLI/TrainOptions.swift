import ArgumentParser
import Experiments
import Foundation
import Sweeps

/// Options that define the network.
struct ModelOptions: ParsableArguments {
  @Option(help: "Hidden widths, comma-separated.")
  var hidden: String = "64,64,64"

  @Option(help: "Activation: \(Activation.allCases.map(\.rawValue).joined(separator: ", ")).")
  var activation: Activation = .relu

  @Option(
    name: .customLong("init"),
    help: "Initialisation: \(Initialization.allCases.map(\.rawValue).joined(separator: ", ")).")
  var initialization: Initialization = .he

  @Option(help: "σ_w of gaussian (variance σ_w²/fan_in) and orthogonal (gain) initialisation.")
  var sigmaW: Double = 1

  @Option(help: "σ_b, bias standard deviation of gaussian and orthogonal initialisation.")
  var sigmaB: Double = 0

  @Flag(help: "Layers without bias.")
  var noBias = false

  @Option(help: "Hidden normalisation: none, batch, layer.")
  var normalization: NormalizationKind = .none

  @Option(help: "Dropout rate after each hidden activation.")
  var dropout: Double = 0

  func apply(to configuration: inout TrainingConfiguration) throws {
    configuration.hidden = try parseWidths(hidden)
    configuration.activation = activation
    configuration.initialization = initialization
    configuration.sigmaW = sigmaW
    configuration.sigmaB = sigmaB
    configuration.bias = !noBias
    configuration.normalization = normalization
    configuration.dropout = dropout
  }
}

/// Options of the optimizer, learning-rate schedule and loop.
struct OptimisationOptions: ParsableArguments {
  @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")).")
  var optimizer: OptimizerKind = .adam

  @Option(help: "Base learning rate.")
  var lr: Double = 1e-3

  @Option(help: "Momentum of the momentum optimizer.")
  var momentum: Double = 0.9

  @Option(help: "Adam β₁.")
  var beta1: Double = 0.9

  @Option(help: "Adam β₂.")
  var beta2: Double = 0.999

  @Option(help: "Weight decay (L2 for sgd/momentum/adam, decoupled for adamw; adamw default 0.01).")
  var weightDecay: Double?

  @Option(help: "Schedule: constant, step, cosine.")
  var schedule: LearningRateSchedule.Kind = .constant

  @Option(help: "Epochs between decays of the step schedule.")
  var stepEpochs: Int = 50

  @Option(help: "Decay factor of the step schedule.")
  var stepFactor: Double = 0.5

  @Option(help: "Final learning rate of the cosine schedule.")
  var minLr: Double = 0

  @Option(help: "Epochs of linear warm-up before the schedule.")
  var warmupEpochs: Int = 0

  @Option(help: "Mini-batch size; 0 for full batch.")
  var batchSize: Int = 64

  @Option(help: "Number of epochs.")
  var epochs: Int = 200

  func apply(to configuration: inout TrainingConfiguration) {
    configuration.optimizer = OptimizerConfiguration(
      kind: optimizer, momentum: momentum, beta1: beta1, beta2: beta2, weightDecay: weightDecay)
    configuration.learningRate = lr
    configuration.schedule = LearningRateSchedule(
      kind: schedule, stepEpochs: stepEpochs, stepFactor: stepFactor, minimumLearningRate: minLr,
      warmupEpochs: warmupEpochs)
    configuration.batchSize = batchSize
    configuration.epochs = epochs
  }
}

/// Options of the spectral penalty or normalisation and of the indicators.
struct SteeringOptions: ParsableArguments {
  @Option(help: "Spectral steering: none, spectral-penalty, spectral-norm.")
  var regularization: RegularizationConfiguration.Kind = .none

  @Option(help: "Penalty weight λ of λ Σ_l (σ_l − τ_l)².")
  var penaltyWeight: Double = 0.1

  @Option(help: "Target σ_max τ for every hidden layer (with --rg-ratio: τ₀).")
  var target: Double = 1

  @Option(help: "Layer-wise targets τ_l, comma-separated (overrides --target).")
  var targets: String?

  @Option(help: "RG-flow ratio r: τ_l = τ₀·r^l.")
  var rgRatio: Double?

  @Option(help: "Record the criticality indicators every k epochs (0: never).")
  var indicatorsEvery: Int = 0

  @Option(help: "Decision-boundary grid resolution for the indicators (power of two; 0: skip).")
  var boundaryResolution: Int = 256

  func apply(to configuration: inout TrainingConfiguration) throws {
    var spectralTargets = SpectralTargets.fixed(target)
    if let targets {
      let values = try targets.split(separator: ",").map { piece -> Double in
        guard let value = Double(piece.trimmingCharacters(in: .whitespaces)), value > 0 else {
          throw ValidationError(
            "--targets: '\(targets)' is not a comma-separated list of positive numbers")
        }
        return value
      }
      spectralTargets = .layerwise(values)
    } else if let rgRatio {
      guard rgRatio > 0 else {
        throw ValidationError("--rg-ratio: must be positive, got \(rgRatio)")
      }
      spectralTargets = .rgFlow(tau0: target, ratio: rgRatio)
    }
    guard target > 0 else { throw ValidationError("--target: must be positive, got \(target)") }
    guard indicatorsEvery >= 0 else {
      throw ValidationError("--indicators-every: must be ≥ 0, got \(indicatorsEvery)")
    }
    configuration.regularization = RegularizationConfiguration(
      kind: regularization, weight: penaltyWeight, targets: spectralTargets)
    configuration.indicators =
      indicatorsEvery > 0
      ? IndicatorOptions(every: indicatorsEvery, boundaryResolution: boundaryResolution) : nil
  }
}

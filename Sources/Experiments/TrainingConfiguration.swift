import Data
import Indicators
import NN
import Steering
import Tensors

/// A complete, resolved description of one training run: data, model, optimizer, schedule,
/// batch size, epochs and seed. Written to `config.json` in the run directory; the same
/// configuration gives bit-identical metrics.
public struct TrainingConfiguration: Codable, Sendable, Hashable {
  public var data: DataConfiguration
  /// Hidden-layer widths; input and output widths come from the data.
  public var hidden: [Int]
  public var activation: Activation
  public var initialization: Initialization
  public var sigmaW: Double
  public var sigmaB: Double
  public var bias: Bool
  public var normalization: NormalizationKind
  public var dropout: Double
  public var optimizer: OptimizerConfiguration
  public var learningRate: Double
  public var schedule: LearningRateSchedule
  /// Examples per mini-batch; 0 means full batch.
  public var batchSize: Int
  public var epochs: Int
  /// Seed of initialisation, shuffling and dropout.
  public var seed: UInt64
  /// Spectral steering of the hidden layers.
  public var regularization: RegularizationConfiguration
  /// Criticality indicators to record (`nil`: none).
  public var indicators: IndicatorOptions?
  /// A learning rate driven by the distance from criticality (`nil`: the schedule alone).
  public var criticalLearningRate: CriticalLearningRate?
  /// Accuracy under input noise and FGSM attacks, measured at the end (`nil`: not measured).
  public var robustness: RobustnessOptions?
  /// Record the per-step loss and update sizes and measure their dynamics (`nil`: off).
  public var recordDynamics: Bool?

  /// The seed network of the project: 2→64→64→64→2 ReLU on two moons, Adam at 10⁻³,
  /// mini-batch 64, 200 epochs.
  public init(
    data: DataConfiguration = DataConfiguration(), hidden: [Int] = [64, 64, 64],
    activation: Activation = .relu, initialization: Initialization = .he, sigmaW: Double = 1,
    sigmaB: Double = 0, bias: Bool = true, normalization: NormalizationKind = .none,
    dropout: Double = 0, optimizer: OptimizerConfiguration = OptimizerConfiguration(),
    learningRate: Double = 1e-3, schedule: LearningRateSchedule = LearningRateSchedule(),
    batchSize: Int = 64, epochs: Int = 200, seed: UInt64 = 0,
    regularization: RegularizationConfiguration = .none, indicators: IndicatorOptions? = nil,
    criticalLearningRate: CriticalLearningRate? = nil, robustness: RobustnessOptions? = nil
  ) {
    self.criticalLearningRate = criticalLearningRate
    self.robustness = robustness
    self.regularization = regularization
    self.indicators = indicators
    self.data = data
    self.hidden = hidden
    self.activation = activation
    self.initialization = initialization
    self.sigmaW = sigmaW
    self.sigmaB = sigmaB
    self.bias = bias
    self.normalization = normalization
    self.dropout = dropout
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.schedule = schedule
    self.batchSize = batchSize
    self.epochs = epochs
    self.seed = seed
  }

  /// The MLP architecture for data with the given input and output widths.
  public func model(inputs: Int, outputs: Int) -> MLPConfiguration {
    MLPConfiguration(
      widths: [inputs] + hidden + [outputs], activation: activation,
      initialization: initialization, sigmaW: sigmaW, sigmaB: sigmaB, bias: bias,
      normalization: normalization, dropout: dropout)
  }

  /// Checks every value a user can set; the error names the option and what is allowed.
  public func validate() throws {
    func fail(_ option: String, _ message: String) throws -> Never {
      throw ConfigurationError(option: option, message: message)
    }
    if hidden.isEmpty { try fail("--hidden", "give at least one hidden width, e.g. 64,64,64") }
    if let bad = hidden.first(where: { $0 <= 0 }) {
      try fail("--hidden", "every width must be a positive integer, got \(bad)")
    }
    if !(learningRate > 0) || !learningRate.isFinite {
      try fail("--lr", "the learning rate must be a positive finite number, got \(learningRate)")
    }
    if epochs <= 0 || epochs > Limits.epochs {
      try fail("--epochs", "must be a positive integer at most \(Limits.epochs), got \(epochs)")
    }
    if batchSize < 0 {
      try fail("--batch-size", "must be ≥ 1, or 0 for full batch, got \(batchSize)")
    }
    if !(dropout >= 0 && dropout < 1) { try fail("--dropout", "must be in [0, 1), got \(dropout)") }
    if !(sigmaW > 0) || !sigmaW.isFinite {
      try fail("--sigma-w", "must be positive, got \(sigmaW)")
    }
    if !(sigmaB >= 0) || !sigmaB.isFinite { try fail("--sigma-b", "must be ≥ 0, got \(sigmaB)") }
    if !(optimizer.weightDecay >= 0 && optimizer.weightDecay.isFinite) {
      try fail("--weight-decay", "must be a finite number ≥ 0, got \(optimizer.weightDecay)")
    }
    if !(optimizer.beta1 >= 0 && optimizer.beta1 < 1) {
      try fail("--beta1", "must be in [0, 1), got \(optimizer.beta1)")
    }
    if !(optimizer.beta2 >= 0 && optimizer.beta2 < 1) {
      try fail("--beta2", "must be in [0, 1), got \(optimizer.beta2)")
    }
    if normalization == .batch && batchSize == 1 {
      try fail("--batch-size", "batch normalisation needs at least 2 examples per batch")
    }
    if !(optimizer.momentum >= 0 && optimizer.momentum < 1) {
      try fail("--momentum", "must be in [0, 1), got \(optimizer.momentum)")
    }
    if !(data.testFraction >= 0 && data.testFraction < 1) {
      try fail("--test-fraction", "must be in [0, 1), got \(data.testFraction)")
    }
    if !(data.noise >= 0) || !data.noise.isFinite {
      try fail("--noise", "must be ≥ 0, got \(data.noise)")
    }
    let generated = ![.csv, .npy].contains(data.kind)
    if generated && data.path != nil {
      try fail("--data", "a file is only read with --dataset csv or --dataset npy")
    }
    if data.kind != .npy && data.labelsPath != nil {
      try fail("--labels", "a labels file is only read with --dataset npy")
    }
    if generated && data.testPath != nil {
      try fail(
        "--test-data",
        "a test file is only read with --dataset csv or --dataset npy (generated data is split by --test-fraction)"
      )
    }
    if data.kind != .npy && data.testLabelsPath != nil {
      try fail("--test-labels", "a test labels file is only read with --dataset npy")
    }
    if data.kind == .npy && (data.testPath == nil) != (data.testLabelsPath == nil) {
      try fail("--test-data", "--test-data and --test-labels go together with --dataset npy")
    }
    if generated && data.count < 2 {
      try fail("--samples", "must be at least 2, got \(data.count)")
    }
    if data.dimension <= 0 {
      try fail("--dimension", "must be a positive integer, got \(data.dimension)")
    }
    if data.classes < 2 { try fail("--classes", "must be at least 2, got \(data.classes)") }
    if data.cells < 1 || data.cells > Limits.cells {
      try fail("--cells", "must be an integer in 1…\(Limits.cells), got \(data.cells)")
    }
    if !(data.alpha > -1 && data.alpha.isFinite) {
      try fail(
        "--alpha", "must be a finite number > −1 (eigenvalues k^−(1+α) decay), got \(data.alpha)")
    }
    if !(regularization.weight >= 0) || !regularization.weight.isFinite {
      try fail("--penalty-weight", "must be a finite number ≥ 0, got \(regularization.weight)")
    }
    if let jacobian = regularization.jacobianWeight {
      if !(jacobian >= 0 && jacobian.isFinite) {
        try fail(
          "regularization.jacobianWeight", "must be a finite number ≥ 0, got \(jacobian)")
      }
      if jacobian > 0 && normalization != .none {
        try fail(
          "regularization.jacobianWeight",
          "the Jacobian penalty needs normalization none (a normalised layer's Jacobian is not D·W)"
        )
      }
      if jacobian > 0 && regularization.kind == .spectralNorm {
        try fail(
          "regularization.jacobianWeight",
          "cannot be combined with spectral-norm (use spectral-penalty or none)")
      }
    }
    if let iterations = regularization.powerIterations, !(1...1000).contains(iterations) {
      try fail("regularization.powerIterations", "must be in 1…1000, got \(iterations)")
    }
    switch regularization.targets {
    case .layerwise(let taus) where taus.count != hidden.count:
      try fail(
        "--targets",
        "give one target per hidden layer (\(hidden.count)), got \(taus.count)")
    case .layerwise(let taus) where !taus.allSatisfy({ $0 > 0 && $0.isFinite }):
      try fail("--targets", "every target must be a positive finite number, got \(taus)")
    case .rgFlow(_, let ratio) where !(ratio > 0 && ratio.isFinite):
      try fail("--rg-ratio", "must be a positive finite number, got \(ratio)")
    case .fixed(let tau) where !(tau > 0 && tau.isFinite):
      try fail("regularization.targets.tau", "must be a positive number, got \(tau)")
    case .adaptive(let tau0) where !(tau0 > 0 && tau0.isFinite),
      .rgFlow(let tau0, _) where !(tau0 > 0 && tau0.isFinite):
      try fail("regularization.targets.tau0", "must be a positive number, got \(tau0)")
    default: break
    }
    if case .adaptive = regularization.targets, regularization.kind != .spectralPenalty {
      try fail(
        "regularization.kind",
        "adaptive targets need kind spectral-penalty, got \(regularization.kind.rawValue)")
    }
    if regularization.adaptation != nil && !regularization.adapts {
      try fail(
        "regularization.adaptation",
        "only used with kind spectral-penalty and targets {kind: adaptive}; remove it or set both")
    }
    if let problem = regularization.adaptation?.problem {
      try fail("regularization.adaptation.\(problem.key)", problem.message)
    }
    if let problem = criticalLearningRate?.problem {
      try fail("criticalLearningRate.\(problem.key)", problem.message)
    }
    if let robustness {
      if let bad = (robustness.noiseLevels + robustness.fgsmEpsilons).first(where: {
        !($0 >= 0 && $0.isFinite)
      }) {
        try fail("robustness", "noise levels and FGSM ε must be finite and ≥ 0, got \(bad)")
      }
    }
    if let indicators {
      if indicators.every < 1 {
        try fail("--indicators-every", "must be at least 1, got \(indicators.every)")
      }
      let r = indicators.boundaryResolution
      if r != 0 && (r < 8 || r > Limits.boundaryResolution || r & (r - 1) != 0) {
        try fail(
          "--boundary-resolution",
          "must be a power of two in 8…\(Limits.boundaryResolution) (or 0 to skip), got \(r)")
      }
    }
    if schedule.stepEpochs <= 0 {
      try fail("--step-epochs", "must be a positive integer, got \(schedule.stepEpochs)")
    }
    if !(schedule.stepFactor > 0 && schedule.stepFactor.isFinite) {
      try fail("--step-factor", "must be a positive finite number, got \(schedule.stepFactor)")
    }
    if schedule.warmupEpochs < 0 {
      try fail("--warmup-epochs", "must be ≥ 0, got \(schedule.warmupEpochs)")
    }
    if !(schedule.minimumLearningRate >= 0 && schedule.minimumLearningRate.isFinite) {
      try fail("--min-lr", "must be a finite number ≥ 0, got \(schedule.minimumLearningRate)")
    }
  }
}

/// A configuration value outside what is allowed.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
  /// The command-line option (or configuration key) at fault.
  public var option: String
  public var message: String
  public init(option: String, message: String) {
    self.option = option
    self.message = message
  }
  public var description: String { "\(option): \(message)" }

  /// The configuration-file key path of the option (`learningRate` for `--lr`).
  public var keyPath: String { Self.keyPaths[option] ?? option }

  /// Command-line options and the configuration keys they set.
  public static let keyPaths: [String: String] = [
    "--hidden": "hidden", "--lr": "learningRate", "--epochs": "epochs",
    "--batch-size": "batchSize", "--dropout": "dropout", "--sigma-w": "sigmaW",
    "--sigma-b": "sigmaB", "--weight-decay": "optimizer.weightDecay",
    "--beta1": "optimizer.beta1", "--beta2": "optimizer.beta2",
    "--momentum": "optimizer.momentum", "--test-fraction": "data.testFraction",
    "--noise": "data.noise", "--samples": "data.count", "--dimension": "data.dimension",
    "--classes": "data.classes", "--cells": "data.cells", "--step-epochs": "schedule.stepEpochs",
    "--step-factor": "schedule.stepFactor", "--warmup-epochs": "schedule.warmupEpochs",
    "--min-lr": "schedule.minimumLearningRate", "--penalty-weight": "regularization.weight",
    "--indicators-every": "indicators.every", "--alpha": "data.alpha",
    "--targets": "regularization.targets.taus", "--rg-ratio": "regularization.targets.ratio",
    "--boundary-resolution": "indicators.boundaryResolution", "--data": "data.path",
    "--labels": "data.labelsPath", "--test-data": "data.testPath",
    "--test-labels": "data.testLabelsPath",
  ]
}

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
    func fail(_ key: String, _ message: String) throws -> Never {
      throw ConfigurationError(key: key, message: message)
    }
    if hidden.isEmpty { try fail("hidden", "give at least one hidden width, e.g. 64,64,64") }
    if let bad = hidden.first(where: { $0 <= 0 }) {
      try fail("hidden", "every width must be a positive integer, got \(bad)")
    }
    if !(learningRate > 0) || !learningRate.isFinite {
      try fail(
        "learningRate", "the learning rate must be a positive finite number, got \(learningRate)")
    }
    if epochs <= 0 || epochs > Limits.epochs {
      try fail("epochs", "must be a positive integer at most \(Limits.epochs), got \(epochs)")
    }
    if batchSize < 0 {
      try fail("batchSize", "must be ≥ 1, or 0 for full batch, got \(batchSize)")
    }
    if !(dropout >= 0 && dropout < 1) { try fail("dropout", "must be in [0, 1), got \(dropout)") }
    if !(sigmaW > 0) || !sigmaW.isFinite {
      try fail("sigmaW", "must be positive, got \(sigmaW)")
    }
    if !(sigmaB >= 0) || !sigmaB.isFinite { try fail("sigmaB", "must be ≥ 0, got \(sigmaB)") }
    if !(optimizer.weightDecay >= 0 && optimizer.weightDecay.isFinite) {
      try fail("optimizer.weightDecay", "must be a finite number ≥ 0, got \(optimizer.weightDecay)")
    }
    if !(optimizer.beta1 >= 0 && optimizer.beta1 < 1) {
      try fail("optimizer.beta1", "must be in [0, 1), got \(optimizer.beta1)")
    }
    if !(optimizer.beta2 >= 0 && optimizer.beta2 < 1) {
      try fail("optimizer.beta2", "must be in [0, 1), got \(optimizer.beta2)")
    }
    if normalization == .batch && batchSize == 1 {
      try fail("batchSize", "batch normalisation needs at least 2 examples per batch")
    }
    if !(optimizer.momentum >= 0 && optimizer.momentum < 1) {
      try fail("optimizer.momentum", "must be in [0, 1), got \(optimizer.momentum)")
    }
    if !(data.testFraction >= 0 && data.testFraction < 1) {
      try fail("data.testFraction", "must be in [0, 1), got \(data.testFraction)")
    }
    if !(data.noise >= 0) || !data.noise.isFinite {
      try fail("data.noise", "must be ≥ 0, got \(data.noise)")
    }
    let generated = ![.csv, .npy].contains(data.kind)
    if generated && data.path != nil {
      try fail("data.path", "a file is only read with data.kind csv or data.kind npy")
    }
    if data.kind != .npy && data.labelsPath != nil {
      try fail("data.labelsPath", "a labels file is only read with data.kind npy")
    }
    if generated && data.testPath != nil {
      try fail(
        "data.testPath",
        "a test file is only read with data.kind csv or data.kind npy (generated data is split by data.testFraction)"
      )
    }
    if data.kind != .npy && data.testLabelsPath != nil {
      try fail("data.testLabelsPath", "a test labels file is only read with data.kind npy")
    }
    if data.kind == .npy && (data.testPath == nil) != (data.testLabelsPath == nil) {
      try fail(
        "data.testPath", "data.testPath and data.testLabelsPath go together with data.kind npy")
    }
    if generated && data.count < 2 {
      try fail("data.count", "must be at least 2, got \(data.count)")
    }
    if data.dimension <= 0 {
      try fail("data.dimension", "must be a positive integer, got \(data.dimension)")
    }
    if let width = data.teacherWidth, !(1...Limits.teacherWidth).contains(width) {
      try fail("data.teacherWidth", "must be in 1…\(Limits.teacherWidth), got \(width)")
    }
    if let bits = data.parityBits, !(1...max(data.dimension, 1)).contains(bits) {
      try fail(
        "data.parityBits", "must be between 1 and data.dimension (\(data.dimension)), got \(bits)")
    }
    if data.classes < 2 { try fail("data.classes", "must be at least 2, got \(data.classes)") }
    if data.cells < 1 || data.cells > Limits.cells {
      try fail("data.cells", "must be an integer in 1…\(Limits.cells), got \(data.cells)")
    }
    if !(data.alpha > -1 && data.alpha.isFinite) {
      try fail(
        "data.alpha", "must be a finite number > −1 (eigenvalues k^−(1+α) decay), got \(data.alpha)"
      )
    }
    if let problem = regularization.problem(
      hiddenLayers: hidden.count, normalizedLayers: normalization != .none)
    {
      try fail("regularization.\(problem.key)", problem.message)
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
        try fail("indicators.every", "must be at least 1, got \(indicators.every)")
      }
      let r = indicators.boundaryResolution
      if r != 0 && (r < 8 || r > Limits.boundaryResolution || r & (r - 1) != 0) {
        try fail(
          "indicators.boundaryResolution",
          "must be a power of two in 8…\(Limits.boundaryResolution) (or 0 to skip), got \(r)")
      }
    }
    if schedule.stepEpochs <= 0 {
      try fail("schedule.stepEpochs", "must be a positive integer, got \(schedule.stepEpochs)")
    }
    if !(schedule.stepFactor > 0 && schedule.stepFactor.isFinite) {
      try fail(
        "schedule.stepFactor", "must be a positive finite number, got \(schedule.stepFactor)")
    }
    if schedule.warmupEpochs < 0 {
      try fail("schedule.warmupEpochs", "must be ≥ 0, got \(schedule.warmupEpochs)")
    }
    if !(schedule.minimumLearningRate >= 0 && schedule.minimumLearningRate.isFinite) {
      try fail(
        "schedule.minimumLearningRate",
        "must be a finite number ≥ 0, got \(schedule.minimumLearningRate)")
    }
  }
}

/// A configuration value outside what is allowed, named by its configuration key path
/// (`learningRate`, `regularization.weight`); a command line names its own option for it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
  /// The configuration key path at fault.
  public var key: String
  public var message: String
  public init(key: String, message: String) {
    self.key = key
    self.message = message
  }
  /// The key path at fault (the name commands translate to their options).
  public var option: String { key }
  public var description: String { "\(key): \(message)" }
}

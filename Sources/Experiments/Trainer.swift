import Autodiff
import Data
import Indicators
import NN
import Spectral
import Steering
import Tensors

/// Metrics recorded after each epoch (one row of `metrics.csv`).
public struct EpochMetrics: Codable, Sendable, Equatable {
  /// 1-based epoch number.
  public var epoch: Int
  public var trainLoss: Double
  public var testLoss: Double
  /// Fraction correct; `nil` for regression.
  public var trainAccuracy: Double?
  public var testAccuracy: Double?
  /// Learning rate used during this epoch.
  public var learningRate: Double
  /// Criticality indicators, on epochs where they were recorded.
  public var indicators: IndicatorSnapshot?
  /// Each hidden layer's spectral target τ_l at the end of the epoch (adaptive targets only).
  public var targets: [Double]?

  public init(
    epoch: Int, trainLoss: Double, testLoss: Double, trainAccuracy: Double?,
    testAccuracy: Double?, learningRate: Double, indicators: IndicatorSnapshot? = nil,
    targets: [Double]? = nil
  ) {
    self.targets = targets
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.testLoss = testLoss
    self.trainAccuracy = trainAccuracy
    self.testAccuracy = testAccuracy
    self.learningRate = learningRate
    self.indicators = indicators
  }
}

/// How a run ended. A run whose loss became NaN or infinite is data, not a failure: it is
/// recorded as diverged with the epoch at which that happened.
public enum RunStatus: Codable, Sendable, Equatable {
  case completed
  case diverged(epoch: Int)
  /// Stopped on request (Ctrl-C) after this many epochs; not a result.
  case interrupted(epoch: Int)
}

/// Everything a finished (or diverged) run produced.
public struct TrainingResult: Sendable {
  public var configuration: TrainingConfiguration
  public var metrics: [EpochMetrics]
  public var status: RunStatus
  public var parameterCount: Int
  /// The trained parameters by name.
  public var state: [String: Tensor<Float>]
  /// Wall-clock seconds spent in the epoch loop.
  public var seconds: Double
  /// Mean power-iteration count per training step over the last quarter of the steps (the
  /// warm-started penalty's cost once the loss has settled); `nil` without a penalty.
  public var powerIterationsPerStep: Double?
  /// Accuracy under input noise and FGSM, if the configuration asked for it.
  public var robustness: RobustnessResult?
  /// Training-dynamics measures, if the configuration asked for them.
  public var dynamics: TrainingDynamicsSummary?
  /// Neural collapse NC1 of the last hidden layer on the training set at the end
  /// (classification).
  public var neuralCollapse: Double?
  /// The checkpoint the parameters started from (`crit train --init-from`), else `nil`.
  public var initializedFrom: String? = nil
}

/// Mean loss and accuracy of `model` on `data` in evaluation mode, in chunks of rows so that
/// memory stays bounded on large sets.
public func evaluate(_ model: MLP<Float>, on data: Dataset, chunk: Int = 4096) -> (
  loss: Double, accuracy: Double?
) {
  var totalLoss = 0.0
  var correct = 0
  var start = 0
  while start < data.count {
    let end = min(start + chunk, data.count)
    let batch = end - start == data.count ? data : data.subset(Array(start..<end))
    let output = model(batch.inputs)
    let loss = lossNode(Variable(output), batch).value.scalar
    totalLoss += Double(loss) * Double(end - start)
    if data.isClassification {
      correct += zip(output.argmaxRows(), batch.labels).filter { $0 == $1 }.count
    }
    start = end
  }
  let n = Double(max(data.count, 1))
  return (totalLoss / n, data.isClassification ? Double(correct) / n : nil)
}

/// Cross-entropy for classes, mean squared error for real targets.
@inlinable
func lossNode(_ output: Variable<Float>, _ batch: Dataset) -> Variable<Float> {
  switch batch.targets {
  case .classes(let labels, _): return crossEntropy(logits: output, labels: labels)
  case .values(let values): return meanSquaredError(output, Variable(values))
  }
}

/// One optimisation step on a mini-batch: forward, loss, backward, update. Returns the loss.
@inlinable
public func trainingStep(
  _ model: MLP<Float>, batch: Dataset, optimizer: AnyOptimizer<Float>,
  learningRate: Double, using rng: inout SplittableRandom
) -> Float {
  trainingStep(
    model, batch: batch, optimizer: optimizer, learningRate: learningRate,
    steering: SpectralSteering(.none, hiddenLayers: model.depth), using: &rng)
}

/// One step with spectral steering: the penalty joins the loss, or the hidden weights are
/// normalised by their top singular value. Returns the data loss (without the penalty).
@inlinable
public func trainingStep(
  _ model: MLP<Float>, batch: Dataset, optimizer: AnyOptimizer<Float>,
  learningRate: Double, steering: SpectralSteering, using rng: inout SplittableRandom
) -> Float {
  let output: Variable<Float>
  var preActivations: [Variable<Float>] = []
  let record: ((Int, Variable<Float>, Variable<Float>) -> Void)? =
    steering.jacobianWeight > 0 ? { _, z, _ in preActivations.append(z) } : nil
  if steering.normalizes {
    output = model.forward(
      Variable(batch.inputs), training: true, using: &rng,
      transformWeight: { l, w in steering.normalized(layer: l, w) }, recordHidden: record)
  } else {
    output = model.forward(
      Variable(batch.inputs), training: true, using: &rng, recordHidden: record)
  }
  let dataLoss = lossNode(output, batch)
  let value = dataLoss.value.scalar
  var total = dataLoss
  if let penalty = steering.penalty(model) { total = total + penalty }
  if steering.jacobianWeight > 0 {
    total =
      total
      + jacobianChi1Penalty(
        preActivations: preActivations, weights: model.layers.prefix(model.depth).map(\.weight),
        activation: model.configuration.activation, weight: steering.jacobianWeight
      ).penalty
  }
  total.backward()
  let parameters = model.parameters
  optimizer.update(parameters, learningRate: learningRate)
  for (_, p) in parameters { p.zeroGradient() }
  return value
}

/// The spectral steering state of one run: per-layer power iterations persisted across steps.
public final class SpectralSteering {
  /// Power iteration during training stops when the triplet's residual is below 10⁻² of σ
  /// (σ then within about 5·10⁻⁵ relative) or after 50 iterations; warm-started from the
  /// previous step it usually needs a few.
  public static let tolerance = 1e-2
  public static let maximumIterations = 50

  public let configuration: RegularizationConfiguration
  @usableFromInline var penaltyState: SpectralPenalty?
  @usableFromInline var normalizations: [SpectralNormalization]
  @usableFromInline let hiddenLayers: Int
  /// λ_J of the Jacobian χ₁ penalty (0: off).
  @usableFromInline let jacobianWeight: Double
  /// Each hidden layer's current target τ_l.
  public private(set) var targets: [Double]
  /// The targets the spectral penalty pulls toward (`nil` without a penalty).
  public var penaltyTargets: SpectralTargets? { penaltyState?.targets }

  public init(_ configuration: RegularizationConfiguration, hiddenLayers: Int) {
    self.configuration = configuration
    self.hiddenLayers = hiddenLayers
    jacobianWeight = configuration.jacobianWeight ?? 0
    targets = (0..<hiddenLayers).map { configuration.targets.target(layer: $0) }
    penaltyState =
      configuration.kind == .spectralPenalty
      ? SpectralPenalty(
        weight: configuration.weight, targets: configuration.targets, layers: hiddenLayers,
        tolerance: SpectralSteering.tolerance, maximumIterations: SpectralSteering.maximumIterations
      )
      : nil
    normalizations =
      configuration.kind == .spectralNorm
      ? (0..<hiddenLayers).map {
        SpectralNormalization(
          powerIterations: configuration.powerIterations ?? 1, seed: UInt64($0) &+ 31)
      }
      : []
  }

  @inlinable var normalizes: Bool { configuration.kind == .spectralNorm }

  /// One step of the adaptive rule from the indicators just measured (ASISR); the penalty
  /// uses the new targets from the next step on.
  public func adapt(to indicators: IndicatorSnapshot) {
    let hidden = indicators.layers.prefix(hiddenLayers)
    targets = configuration.rule.adapted(
      targets, chi1: hidden.map(\.chi1), deadRate: hidden.map(\.deadRate),
      boundaryDimension: indicators.boundary?.dimension)
    penaltyState?.targets = .layerwise(targets)
  }

  /// `W/σ(W)` for hidden layers (a training step: PyTorch's power iterations first), `W` for
  /// the readout.
  @inlinable
  func normalized(layer l: Int, _ w: Variable<Float>) -> Variable<Float> {
    guard l < hiddenLayers else { return w }
    return normalizations[l].training(w)
  }

  /// The penalty node over the hidden weights, or `nil`.
  @inlinable
  func penalty(_ model: MLP<Float>) -> Variable<Float>? {
    // λ lives in the penalty state, made once from the configuration.
    guard let weight = penaltyState?.weight, weight > 0 else { return nil }
    return penaltyState!(model.layers.prefix(hiddenLayers).map(\.weight)).penalty
  }

  /// The weights the network effectively computes with in evaluation (for spectral
  /// normalisation `W/σ` with the stored vectors, as PyTorch evaluates; before the first step
  /// the vectors are drawn and warmed up on a copy).
  public func effectiveWeights(_ model: MLP<Float>) -> [Tensor<Float>] {
    model.layers.enumerated().map { l, layer in
      guard normalizes && l < hiddenLayers else { return layer.weight.value }
      var state = normalizations[l]
      state.warmUp(layer.weight.value)
      return state.evaluation(layer.weight.value)
    }
  }

  /// The network as it computes in evaluation: `model` itself, or a detached copy with the
  /// normalised weights.
  public func evaluationNetwork(_ model: MLP<Float>) -> MLP<Float> {
    normalizes ? model.replacingWeights(effectiveWeights(model)) : model
  }

  /// Power iterations per step, averaged over the last `window` steps of every layer.
  public func meanIterations(lastSteps window: Int) -> Double? {
    if let penaltyState { return penaltyState.meanIterations(lastEvaluations: window) }
    guard let first = normalizations.first else { return nil }
    return Double(first.powerIterations)
  }
}

/// Asked between epochs whether to stop (Ctrl-C).
public typealias StopRequest = @Sendable () -> Bool

/// Trains an MLP as `configuration` says and records metrics (and indicators, if asked)
/// after every epoch.
///
/// Random streams (all derived from `SplittableRandom(seed: configuration.seed)`):
/// "init" for the weights, "shuffle" for the per-epoch mini-batch order, "dropout" for
/// dropout masks, "indicators" for the sensitivity directions. The order of every reduction
/// is fixed, so the same configuration gives bit-identical metrics whatever the number of
/// BLAS threads or of runs in parallel.
///
/// `initialState` (from ``initialWeights(path:for:inputs:outputs:)``) replaces the drawn
/// initial parameters (the "init" stream is drawn all the same, so the other streams do not
/// move); `onCheckpoint` receives the parameters as the network computes with them after every
/// `checkpointEvery`-th epoch.
public func train(
  _ configuration: TrainingConfiguration, train: Dataset, test: Dataset,
  initialState: [String: Tensor<Float>]? = nil, checkpointEvery: Int? = nil,
  shouldStop: StopRequest = { false }, onEpoch: (EpochMetrics) -> Void = { _ in },
  onCheckpoint: (Int, [String: Tensor<Float>]) -> Void = { _, _ in }
) -> TrainingResult {
  let root = SplittableRandom(seed: configuration.seed)
  var initRNG = root.derived("init")
  var shuffleRNG = root.derived("shuffle")
  var dropoutRNG = root.derived("dropout")
  var indicatorRNG = root.derived("indicators")
  let indicatorSeed = indicatorRNG.next()
  var robustnessRNG = root.derived("robustness")
  let model = MLP<Float>(
    configuration.model(inputs: train.inputDimension, outputs: train.outputDimension),
    using: &initRNG)
  if let initialState {
    for parameter in model.parameters {
      if let value = initialState[parameter.name] { parameter.variable.value = value }
    }
  }
  let steering = SpectralSteering(configuration.regularization, hiddenLayers: model.depth)
  let optimizer = configuration.optimizer.make(for: Float.self)
  let batchSize =
    configuration.batchSize == 0 ? train.count : min(configuration.batchSize, train.count)
  var metrics: [EpochMetrics] = []
  var status = RunStatus.completed
  var steps = 0
  // σ_max of each hidden layer for the critical learning rate (warm-started across epochs).
  var sigmaProbes = (0..<model.depth).map {
    PowerIteration(
      tolerance: SpectralSteering.tolerance, maximumIterations: 200, seed: UInt64($0) &+ 47)
  }
  let adaptation = configuration.regularization.adapts ? configuration.regularization.rule : nil
  let recorder = configuration.recordDynamics == true ? DynamicsRecorder() : nil
  let clock = ContinuousClock()
  let start = clock.now
  for epoch in 0..<configuration.epochs {
    if shouldStop() {
      status = .interrupted(epoch: epoch)
      break
    }
    var lr = configuration.schedule.learningRate(
      epoch: epoch, totalEpochs: configuration.epochs, base: configuration.learningRate)
    if let critical = configuration.criticalLearningRate {
      let sigmas = (0..<model.depth).map {
        sigmaProbes[$0].estimate(model.layers[$0].weight.value).sigma
      }
      lr = critical.learningRate(
        base: lr, meanSigma: sigmas.reduce(0, +) / Double(max(sigmas.count, 1)))
    }
    let order = shuffleRNG.permutation(train.count)
    var batchStart = 0
    var finite = true
    while batchStart < train.count {
      var batchEnd = min(batchStart + batchSize, train.count)
      // Batch norm cannot normalise a single example: a last batch of one joins the previous.
      if configuration.normalization == .batch && train.count - batchEnd == 1 { batchEnd += 1 }
      let indices = Array(order[batchStart..<batchEnd])
      recorder?.snapshot(model)
      let loss = trainingStep(
        model, batch: train.subset(indices), optimizer: optimizer, learningRate: lr,
        steering: steering, using: &dropoutRNG)
      recorder?.record(model, loss: loss)
      finite = finite && loss.isFinite
      batchStart = batchEnd
      steps += 1
    }
    let network = steering.evaluationNetwork(model)
    let trainEval = evaluate(network, on: train)
    let testEval = test.count > 0 ? evaluate(network, on: test) : (loss: Double.nan, accuracy: nil)
    var row = EpochMetrics(
      epoch: epoch + 1, trainLoss: trainEval.loss, testLoss: testEval.loss,
      trainAccuracy: trainEval.accuracy, testAccuracy: testEval.accuracy, learningRate: lr)
    let diverged = !finite || !trainEval.loss.isFinite
    let adaptsNow = adaptation.map { (epoch + 1) % $0.every == 0 } ?? false
    if !diverged,
      let options = configuration.indicators.flatMap({
        (epoch + 1) % $0.every == 0 || epoch + 1 == configuration.epochs ? $0 : nil
      }) ?? (adaptsNow ? configuration.indicators ?? IndicatorOptions() : nil)
    {
      row.indicators = measureIndicators(
        of: network, on: train.inputs, options: options, seed: indicatorSeed)
    }
    if adaptsNow, let indicators = row.indicators { steering.adapt(to: indicators) }
    if adaptation != nil { row.targets = steering.targets }
    metrics.append(row)
    onEpoch(row)
    if let every = checkpointEvery, (epoch + 1) % every == 0 {
      onCheckpoint(epoch + 1, steering.evaluationNetwork(model).state)
    }
    if diverged {
      status = .diverged(epoch: epoch + 1)
      break
    }
  }
  let elapsed = clock.now - start
  // The network as it computes (normalised weights under spectral normalisation) is what is
  // measured and saved.
  let network = steering.evaluationNetwork(model)
  var robustness: RobustnessResult? = nil
  if let options = configuration.robustness, status == .completed, test.count > 0 {
    robustness = measureRobustness(network, on: test, options: options, using: &robustnessRNG)
  }
  let dynamics = recorder.map {
    TrainingDynamicsSummary(losses: $0.losses, updateSizes: $0.updateSizes)
  }
  let collapse = status == .completed ? neuralCollapse(of: network, on: train) : nil
  return TrainingResult(
    configuration: configuration, metrics: metrics, status: status,
    parameterCount: model.parameterCount, state: network.state,
    seconds: elapsed.inSeconds,
    powerIterationsPerStep: steering.meanIterations(lastSteps: max(1, steps / 4)),
    robustness: robustness, dynamics: dynamics, neuralCollapse: collapse)
}

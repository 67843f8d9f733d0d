import Autodiff
import Data
import NN
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
}

/// How a run ended. A run whose loss became NaN or infinite is data, not a failure: it is
/// recorded as diverged with the epoch at which that happened.
public enum RunStatus: Codable, Sendable, Equatable {
  case completed
  case diverged(epoch: Int)
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
    let batch = data.subset(Array(start..<end))
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
  let output = model.forward(Variable(batch.inputs), training: true, using: &rng)
  let loss = lossNode(output, batch)
  let value = loss.value.scalar
  loss.backward()
  let parameters = model.parameters
  optimizer.update(parameters, learningRate: learningRate)
  for (_, p) in parameters { p.zeroGradient() }
  return value
}

/// Trains an MLP as `configuration` says and records metrics after every epoch.
///
/// Random streams (all derived from `SplittableRandom(seed: configuration.seed)`):
/// "init" for the weights, "shuffle" for the per-epoch mini-batch order, "dropout" for
/// dropout masks. The order of every reduction is fixed, so the same configuration gives
/// bit-identical metrics whatever the number of BLAS threads.
public func train(
  _ configuration: TrainingConfiguration, train: Dataset, test: Dataset,
  onEpoch: (EpochMetrics) -> Void = { _ in }
) -> TrainingResult {
  Allocator.configureForNumericalWork()
  let root = SplittableRandom(seed: configuration.seed)
  var initRNG = root.derived("init")
  var shuffleRNG = root.derived("shuffle")
  var dropoutRNG = root.derived("dropout")
  let model = MLP<Float>(
    configuration.model(inputs: train.inputDimension, outputs: train.outputDimension),
    using: &initRNG)
  let optimizer = configuration.optimizer.make(for: Float.self)
  let batchSize =
    configuration.batchSize == 0 ? train.count : min(configuration.batchSize, train.count)
  var metrics: [EpochMetrics] = []
  var status = RunStatus.completed
  let clock = ContinuousClock()
  let start = clock.now
  for epoch in 0..<configuration.epochs {
    let lr = configuration.schedule.learningRate(
      epoch: epoch, totalEpochs: configuration.epochs, base: configuration.learningRate)
    let order = shuffleRNG.permutation(train.count)
    var batchStart = 0
    var finite = true
    while batchStart < train.count {
      var batchEnd = min(batchStart + batchSize, train.count)
      // Batch norm cannot normalise a single example: a last batch of one joins the previous.
      if configuration.normalization == .batch && train.count - batchEnd == 1 { batchEnd += 1 }
      let indices = Array(order[batchStart..<batchEnd])
      let loss = trainingStep(
        model, batch: train.subset(indices), optimizer: optimizer, learningRate: lr,
        using: &dropoutRNG)
      finite = finite && loss.isFinite
      batchStart = batchEnd
    }
    let trainEval = evaluate(model, on: train)
    let testEval = test.count > 0 ? evaluate(model, on: test) : (loss: Double.nan, accuracy: nil)
    let row = EpochMetrics(
      epoch: epoch + 1, trainLoss: trainEval.loss, testLoss: testEval.loss,
      trainAccuracy: trainEval.accuracy, testAccuracy: testEval.accuracy, learningRate: lr)
    metrics.append(row)
    onEpoch(row)
    if !finite || !trainEval.loss.isFinite {
      status = .diverged(epoch: epoch + 1)
      break
    }
  }
  let elapsed = clock.now - start
  return TrainingResult(
    configuration: configuration, metrics: metrics, status: status,
    parameterCount: model.parameterCount, state: model.state,
    seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

import Autodiff
import Data
import Foundation
import NN
import Tensors

/// One small causal transformer (``TransformerModel``, single precision) trained by Adam on a
/// token task (``TokenTask``) with fresh batches every step; cross-entropy on the scored
/// positions only. Held-out accuracy (the fraction of scored next tokens predicted, argmax) on
/// `testCount` sequences drawn from a separate stream, recorded every `recordEvery` steps.
public struct TransformerTaskRun: Codable, Sendable, Equatable {
  public var task: TokenTask
  public var vocabulary: Int
  public var length: Int
  public var width: Int
  public var heads: Int
  public var depth: Int
  public var steps: Int
  public var batch: Int
  public var learningRate: Double
  public var recordEvery: Int
  public var testCount: Int
  public var seed: UInt64

  public init(
    task: TokenTask, vocabulary: Int = 16, length: Int = 16, width: Int = 64, heads: Int = 4,
    depth: Int = 2, steps: Int = 1500, batch: Int = 32, learningRate: Double = 1e-3,
    recordEvery: Int = 250, testCount: Int = 256, seed: UInt64
  ) {
    self.task = task
    self.vocabulary = vocabulary
    self.length = length
    self.width = width
    self.heads = heads
    self.depth = depth
    self.steps = steps
    self.batch = batch
    self.learningRate = learningRate
    self.recordEvery = recordEvery
    self.testCount = testCount
    self.seed = seed
  }

  public struct Snapshot: Codable, Sendable, Equatable {
    public var step: Int
    public var trainLoss: Double
    public var testAccuracy: Double
    /// Per layer, the attention entropy on the held-out sequences, mean over heads
    /// (``AttentionHeadMeasures/entropy(_:)``).
    public var entropy: [Double]
  }

  public struct Result: Codable, Sendable, Equatable {
    public var snapshots: [Snapshot]
    public var seconds: Double
    public var finalAccuracy: Double { snapshots.last?.testAccuracy ?? .nan }
  }

  /// The rows of the scored positions in a (batch·L, ·) matrix.
  func scoredRows(_ batch: TokenTask.Batch) -> [Int] {
    batch.tokens.indices.flatMap { b in batch.positions.map { b * length + $0 } }
  }

  /// Held-out accuracy and each layer's mean attention entropy.
  func evaluate(_ model: TransformerModel<Float>, _ test: TokenTask.Batch) -> (
    accuracy: Double, entropy: [Double]
  ) {
    let (output, maps) = model(test.tokens)
    let logits = output.value
    let entropy = maps.map { heads in
      heads.reduce(0) { $0 + AttentionHeadMeasures.entropy($1) } / Double(max(heads.count, 1))
    }
    var correct = 0
    for (b, targets) in test.targets.enumerated() {
      for (k, position) in test.positions.enumerated() {
        let row = b * length + position
        var best = 0
        for c in 1..<vocabulary where logits[row, c] > logits[row, best] { best = c }
        if best == targets[k] { correct += 1 }
      }
    }
    return (Double(correct) / Double(test.targets.count * test.positions.count), entropy)
  }

  public func run(shouldStop: () -> Bool = { false }) -> Result? {
    let clock = ContinuousClock()
    let start = clock.now
    let model = TransformerModel<Float>(
      vocabulary: vocabulary, length: length, width: width, heads: heads, depth: depth, seed: seed)
    var data = SplittableRandom(seed: seed).derived("train")
    var held = SplittableRandom(seed: seed).derived("test")
    let test = task.batch(count: testCount, length: length, vocabulary: vocabulary, using: &held)
    let optimizer = Adam<Float>()
    var snapshots: [Snapshot] = []
    var recent: [Double] = []
    for step in 0...steps {
      if step % recordEvery == 0 || step == steps {
        if shouldStop() { return nil }
        let loss = recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count)
        let (accuracy, entropy) = evaluate(model, test)
        snapshots.append(
          Snapshot(step: step, trainLoss: loss, testAccuracy: accuracy, entropy: entropy))
        recent = []
      }
      if step == steps { break }
      let examples = task.batch(
        count: batch, length: length, vocabulary: vocabulary, using: &data)
      let logits = model(examples.tokens).logits
      let loss = crossEntropy(
        logits: embedding(logits, indices: scoredRows(examples)),
        labels: examples.targets.flatMap { $0 })
      model.zeroGradients()
      loss.backward()
      optimizer.update(model.parameters, learningRate: learningRate)
      recent.append(Double(loss.value.scalar))
    }
    return Result(snapshots: snapshots, seconds: (clock.now - start).inSeconds)
  }
}

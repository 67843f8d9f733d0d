import Autodiff
import Data
import Foundation
import NN
import Tensors

/// The training step of a small causal transformer (``TransformerModel``: 4 pre-LN layers of
/// width 128 with 4 heads, sequences of 64 tokens from 64, batch 32, single precision) on
/// the copy task: forward, cross-entropy on the scored half, backward, Adam. The peer is
/// bench/transformer_torch.py, the same architecture in PyTorch.
public struct TransformerStepBenchmark: Codable, Sendable {
  public var depth: Int
  public var width: Int
  public var heads: Int
  public var length: Int
  public var vocabulary: Int
  public var batch: Int
  public var threads: Int
  public var secondsPerStep: Double
  /// Multiply–adds ×2 of one step: forward (the dense products, attention's two batched
  /// products, the readout) ×3 for forward plus backward.
  public var flopsPerStep: Double
  public var gflops: Double { flopsPerStep / secondsPerStep / 1e9 }
  public var finalLoss: Double
}

/// Times `steps` training steps (median of `repeats` timings, after two warm-up steps); the
/// batches are drawn beforehand, as the peer does. The caller sets the BLAS thread count.
public func benchmarkTransformerStep(
  depth: Int = 4, width: Int = 128, heads: Int = 4, length: Int = 64, vocabulary: Int = 64,
  batch: Int = 32, steps: Int = 10, repeats: Int = 5, threads: Int
) -> TransformerStepBenchmark {
  let model = TransformerModel<Float>(
    vocabulary: vocabulary, length: length, width: width, heads: heads, depth: depth, seed: 1)
  var random = SplittableRandom(seed: 2)
  let batches = (0..<8).map { _ in
    AttentionTask.copy.batch(count: batch, length: length, vocabulary: vocabulary, using: &random)
  }
  let rows = batches.map { b in
    b.tokens.indices.flatMap { s in b.positions.map { s * length + $0 } }
  }
  let optimizer = Adam<Float>()
  let parameters = model.parameters
  var lastLoss: Float = .nan
  var next = 0
  func step() {
    let b = batches[next % batches.count]
    let logits = model(b.tokens).logits
    let loss = crossEntropy(
      logits: embedding(logits, indices: rows[next % batches.count]),
      labels: b.targets.flatMap { $0 })
    model.zeroGradients()
    loss.backward()
    optimizer.update(parameters, learningRate: 1e-3)
    lastLoss = loss.value.scalar
    next += 1
  }
  step()
  step()
  let seconds = timeMedian(repeats: repeats) { for _ in 0..<steps { step() } }
  let tokens = Double(batch * length)
  let (d, l) = (Double(width), Double(length))
  let perLayer =
    2 * tokens * d * d * 4 + 2 * 2 * Double(batch) * l * l * d + 2 * tokens * d * 4 * d * 2
  let forward = Double(depth) * perLayer + 2 * tokens * d * Double(vocabulary)
  return TransformerStepBenchmark(
    depth: depth, width: width, heads: heads, length: length, vocabulary: vocabulary,
    batch: batch, threads: threads, secondsPerStep: seconds / Double(steps),
    flopsPerStep: 3 * forward, finalLoss: Double(lastLoss))
}

import Autodiff
import Data
import NN
import Tensors

/// Throughput of a full training step (forward, backward, Adam update) of a wide MLP,
/// compared with the throughput of the very matrix products that step performs, timed in
/// the same run, at the same shapes and thread count.
public struct TrainingStepBenchmark: Codable, Sendable {
  public var widths: [Int]
  public var batchSize: Int
  public var threads: Int
  public var steps: Int
  /// Floating-point operations of one step's matrix products: `2·m·n·k` summed over the
  /// forward products, the weight gradients and the input gradients of every layer but the
  /// first.
  public var flopsPerStep: Double
  public var secondsPerStep: Double
  public var stepGFLOPS: Double
  /// Throughput of the same `sgemm` calls alone.
  public var sgemmGFLOPS: Double
  /// `stepGFLOPS / sgemmGFLOPS`.
  public var fractionOfSgemm: Double
  public var blasCore: String
}

/// The `sgemm` calls of one training step of an MLP: `(m, n, k, transposeA, transposeB)`.
func stepProducts(widths: [Int], batch: Int) -> [(Int, Int, Int, Bool, Bool)] {
  var products: [(Int, Int, Int, Bool, Bool)] = []
  for l in 0..<(widths.count - 1) {
    let (fanIn, fanOut) = (widths[l], widths[l + 1])
    products.append((batch, fanOut, fanIn, false, true))  // Y = X·Wᵀ
    products.append((fanOut, fanIn, batch, true, false))  // ∂W = Gᵀ·X
    if l > 0 { products.append((batch, fanIn, fanOut, false, false)) }  // ∂X = G·W
  }
  return products
}

/// Runs the training-step benchmark; `clock` measures wall time. `threads` is reported; the
/// caller sets the BLAS thread count (``LinearAlgebraThreads/setForBenchmark(_:)``).
public func benchmarkTrainingStep(
  widths: [Int] = [784, 1024, 1024, 10], batchSize: Int = 256, steps: Int = 20, threads: Int
) -> TrainingStepBenchmark {
  var rng = SplittableRandom(seed: 1)
  let model = MLP<Float>(MLPConfiguration(widths: widths), using: &rng)
  let inputs = Tensor<Float>.randomNormal([batchSize, widths[0]], using: &rng)
  let labels = (0..<batchSize).map { _ in rng.nextInt(below: widths.last!) }
  let batch = Dataset(inputs: inputs, targets: .classes(labels: labels, count: widths.last!))
  let optimizer = OptimizerConfiguration(kind: .adam).make(for: Float.self)
  for _ in 0..<3 {
    _ = trainingStep(model, batch: batch, optimizer: optimizer, learningRate: 1e-4, using: &rng)
  }
  let products = stepProducts(widths: widths, batch: batchSize)
  let flops = products.reduce(0.0) { $0 + 2 * Double($1.0 * $1.1 * $1.2) }
  let operands = products.map { (m, n, k, ta, tb) in
    (
      Tensor<Float>.randomNormal(ta ? [k, m] : [m, k], using: &rng),
      Tensor<Float>.randomNormal(tb ? [n, k] : [k, n], using: &rng),
      Tensor<Float>.zeros([m, n]), ta, tb
    )
  }
  var outputs = operands.map(\.2)
  // The two timings alternate, so that both see the same machine conditions; each figure
  // is the median over the repeats.
  var stepTimes: [Double] = []
  var gemmTimes: [Double] = []
  for _ in 0..<7 {
    stepTimes.append(
      timeOnce {
        for _ in 0..<steps {
          _ = trainingStep(
            model, batch: batch, optimizer: optimizer, learningRate: 1e-4, using: &rng)
        }
      } / Double(steps))
    gemmTimes.append(
      timeOnce {
        for _ in 0..<steps {
          for (i, (a, b, _, ta, tb)) in operands.enumerated() {
            gemm(a, b, into: &outputs[i], transposeA: ta, transposeB: tb, beta: 0)
          }
        }
      } / Double(steps))
  }
  let stepSeconds = median(stepTimes)
  let gemmSeconds = median(gemmTimes)
  let stepRate = flops / stepSeconds / 1e9
  let gemmRate = flops / gemmSeconds / 1e9
  return TrainingStepBenchmark(
    widths: widths, batchSize: batchSize, threads: threads, steps: steps, flopsPerStep: flops,
    secondsPerStep: stepSeconds, stepGFLOPS: stepRate, sgemmGFLOPS: gemmRate,
    fractionOfSgemm: stepRate / gemmRate, blasCore: LinearAlgebraThreads.coreName)
}

/// Training epochs per second of the seed network (2→64→64→64→2 ReLU, Adam 10⁻³,
/// mini-batch 64) on the 800 training points of two moons: the loop of
/// `bench/seed_network_torch.py`, shuffle and mini-batch steps only (no evaluation).
public struct SeedNetworkBenchmark: Codable, Sendable {
  public var epochs: Int
  public var threads: Int
  public var trainingPoints: Int
  public var epochsPerSecond: Double
  public var finalLoss: Double
}

/// Runs the seed-network benchmark (median of `repeats` timings of `epochs` epochs); the caller
/// sets the BLAS thread count.
public func benchmarkSeedNetwork(epochs: Int = 100, repeats: Int = 5, threads: Int) throws
  -> SeedNetworkBenchmark
{
  let (trainSet, _) = try DataConfiguration().load()
  var rng = SplittableRandom(seed: 0)
  let model = MLP<Float>(MLPConfiguration(widths: [2, 64, 64, 64, 2]), using: &rng)
  let optimizer = OptimizerConfiguration(kind: .adam).make(for: Float.self)
  var lastLoss: Float = 0
  func epoch() {
    let order = rng.permutation(trainSet.count)
    var start = 0
    while start < trainSet.count {
      let batch = trainSet.subset(Array(order[start..<min(start + 64, trainSet.count)]))
      lastLoss = trainingStep(
        model, batch: batch, optimizer: optimizer, learningRate: 1e-3, using: &rng)
      start += 64
    }
  }
  for _ in 0..<5 { epoch() }
  let seconds = timeMedian(repeats: repeats) { for _ in 0..<epochs { epoch() } }
  return SeedNetworkBenchmark(
    epochs: epochs, threads: threads, trainingPoints: trainSet.count,
    epochsPerSecond: Double(epochs) / seconds, finalLoss: Double(lastLoss))
}

/// Median wall time of `repeats` runs of `body`, in seconds.
func timeMedian(repeats: Int, _ body: () -> Void) -> Double {
  median((0..<max(repeats, 1)).map { _ in timeOnce(body) })
}

/// Wall time of one run of `body`, in seconds.
func timeOnce(_ body: () -> Void) -> Double {
  let clock = ContinuousClock()
  let start = clock.now
  body()
  return (clock.now - start).inSeconds
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted[sorted.count / 2]
}

import Data
import Experiments
import NN
import Testing

/// A run's first snapshot is the initial network's closed-form order parameters (the network
/// drawn from `networkSeed` as documented), the same seeds give the same run, and bad settings
/// are errors naming the key.
@Test func featureLearningRunStartsFromTheDocumentedNetworkAndRepeats() throws {
  let run = FeatureLearningRun(
    dimension: 8, width: 6, samples: 32, target: .hermite(order: 3), temperature: 1e-3,
    steps: 20, recordEvery: 10, testCount: 50, seed: 1, networkSeed: 2)
  let result = try #require(try run.run())
  let initial = TwoLayerNetwork(
    inputs: 8, width: 6, activation: .erf, weightStd: 1, biasStd: 0, parameterisation: .standard,
    seed: 2)
  let expected = FeatureOrderParameters(
    network: initial, teacher: run.data().teacher, target: .hermite(order: 3))
  #expect(result.snapshots.map(\.step) == [0, 10, 20])
  #expect(result.snapshots[0].order == expected)
  #expect(!result.diverged)
  let again = try #require(try run.run())
  #expect(again.snapshots == result.snapshots)
  var other = run
  other.networkSeed = 3
  #expect(try #require(try other.run()).snapshots != result.snapshots)

  for (key, change) in [
    ("stepScale", { (r: inout FeatureLearningRun) in r.stepScale = 2 }),
    ("temperature", { (r: inout FeatureLearningRun) in r.temperature = -1 }),
    ("target", { (r: inout FeatureLearningRun) in r.target = .hermite(order: 0) }),
    ("recordEvery", { (r: inout FeatureLearningRun) in r.recordEvery = 0 }),
  ] {
    var bad = run
    change(&bad)
    #expect(throws: ConfigurationError.self, "\(key)") { try bad.validate() }
  }
}

/// A linear target is what a lazy learner gets first: with P = 32 d points (d = 8) both the
/// Gaussian-process baseline and the network trained by gradient descent (T = 0) reach an
/// overlap above 0.9 with y = w*·x, and the training loss falls. Kernel regression with the
/// erf NNGP, whose linear component is 2/(π√(1 + 2·1)) ≈ 0.37 of the kernel at unit-norm
/// inputs, learns a linear function of d variables from P ≫ d points to within a few per cent
/// of its norm; 0.9 leaves room for the finite P and the nonlinear components.
@Test func featureLearningRunLearnsALinearTarget() throws {
  let run = FeatureLearningRun(
    dimension: 8, width: 32, samples: 256, target: .hermite(order: 1), temperature: 0,
    steps: 1500, recordEvery: 500, testCount: 1000, seed: 5, networkSeed: 6)
  let result = try #require(try run.run())
  #expect(result.gaussianProcessOverlap > 0.9, "GP overlap \(result.gaussianProcessOverlap)")
  let final = try #require(result.final)
  #expect(final.overlap > 0.9, "network overlap \(final.overlap)")
  #expect(result.snapshots.last!.trainLoss < 0.2 * result.snapshots[0].trainLoss)
}

/// Other activations: a ReLU network (order parameters sampled on the test points, its own
/// NNGP kernel, the arc-cosine kernel, for the GP) learns the linear target as the erf one
/// does (the same bound and reason as above; ReLU's linear component, ½ of its input, is a
/// larger share of its kernel than erf's). Every snapshot also carries the sampled A, and for erf the sampled A is within
/// 0.1 of the closed form on 1000 test points (its standard error there is about 0.03).
@Test func featureLearningRunWithOtherActivations() throws {
  var run = FeatureLearningRun(
    dimension: 8, width: 32, samples: 256, target: .hermite(order: 1), temperature: 0,
    steps: 1500, recordEvery: 500, testCount: 1000, seed: 5, networkSeed: 6,
    activation: .relu)
  let result = try #require(try run.run())
  #expect(result.gaussianProcessOverlap > 0.9, "GP overlap \(result.gaussianProcessOverlap)")
  let final = try #require(result.final)
  #expect(final.overlap > 0.9, "network overlap \(final.overlap)")
  #expect(result.snapshots.allSatisfy { $0.sampledOverlap == $0.order.overlap })

  run.activation = nil
  let erf = try #require(try run.run())
  for snapshot in erf.snapshots {
    let sampled = try #require(snapshot.sampledOverlap)
    #expect(abs(sampled - snapshot.order.overlap) <= 0.1)
  }
}

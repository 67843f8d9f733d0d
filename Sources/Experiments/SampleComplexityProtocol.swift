import Data

/// SPEC §7 protocol 8, `sample-complexity`: how many samples a two-layer erf network needs to
/// learn a cubic single-index target, against its Gaussian process (Rubin, Davidovich &
/// Ringel, "Patterns of feature learning and their sample complexity"). Every run is a
/// ``FeatureLearningRun`` (standard-parameterisation erf network of width N = `widthFactor`·d,
/// Langevin dynamics at temperature T with layer-wise steps, the NNGP regression baseline with
/// ridge T on the same points):
///
/// 1. networks: y = He₃(w*·x) for every d in `dimensions`, P = r·d for r in `ratios` (up to
///    `maxNetworkSamples` points), `seeds` draws (data and network) each; the overlap A at the
///    end and the GP's on the same points;
/// 2. kernels: the GP alone (no training steps) at the larger P = r·d of `kernelRatios`, up to
///    `maxKernelSamples` points: the GP needs P ∝ d³ where the network is claimed to need ∝ d;
/// 3. mixed: y = w*·x + ε He₃(w*·x) at one d and P, recorded every `mixedRecordEvery` steps,
///    for the two parts' errors over training time.
///
/// The headline level of A is ¼, with ½ beside it: in trials (d = 8…32, up to 20 000 steps)
/// the networks' A rose within about 2000 steps and then crept (0.47 → 0.49 from step 2000 to
/// 20 000 at d = 32, P = 128d), levelling out near ½ at the largest P: a threshold at ½ measures
/// the approach to that plateau, ¼ the onset of learning. Hence also 6000 steps.
///
/// T = 0.01 is the posterior's noise variance (the loss is ½Σ(f − y)², E[y²] = 6): low noise, so
/// that the data, not the prior, decides what is learned, and weak enough that the chain still
/// moves between neuron arrangements. Data seed k + 1 and network seed 100 + k for draw k, the
/// same for every d and P (a draw's teacher is the same at every P of one d).
public struct SampleComplexityProtocol: Codable, Sendable, Equatable {
  public var name: String
  public var dimensions: [Int]
  public var widthFactor: Int
  public var ratios: [Int]
  public var maxNetworkSamples: Int
  public var kernelRatios: [Int]
  public var maxKernelSamples: Int
  public var seeds: Int
  public var temperature: Double
  public var steps: Int
  public var recordEvery: Int
  public var testCount: Int
  /// A crosses these levels at P*; the first is the threshold of the slopes' headline.
  public var levels: [Double]
  public var mixedDimension: Int
  public var mixedRatio: Int
  public var mixedEpsilon: Double
  public var mixedSteps: Int
  public var mixedRecordEvery: Int

  /// d = 8, 16, 32, 64; N = 2d; P/d = 2 … 128 for the networks (at most 4096 points, 6000
  /// steps), the GP alone further to P/d = 1024 or 8192 points; 3 draws; mixed target ε = 0.1 at
  /// d = 32, P = 32d, 20 000 steps (its cubic part needs ~10 000).
  public static func full() -> SampleComplexityProtocol {
    SampleComplexityProtocol(
      name: "sample-complexity", dimensions: [8, 16, 32, 64], widthFactor: 2,
      ratios: [2, 4, 8, 16, 32, 64, 128], maxNetworkSamples: 4096,
      kernelRatios: [256, 512, 1024], maxKernelSamples: 8192, seeds: 3, temperature: 0.01,
      steps: 6000, recordEvery: 500, testCount: 2000, levels: [0.25, 0.5], mixedDimension: 32,
      mixedRatio: 32, mixedEpsilon: 0.1, mixedSteps: 20_000, mixedRecordEvery: 250)
  }

  /// A few-minute version: d = 8, 16; P/d = 4 … 64 (3000 steps), the GP alone to P/d = 256;
  /// 2 draws; mixed target at d = 8, P = 32d.
  public static func quick() -> SampleComplexityProtocol {
    SampleComplexityProtocol(
      name: "sample-complexity-quick", dimensions: [8, 16], widthFactor: 2,
      ratios: [4, 8, 16, 32, 64], maxNetworkSamples: 1024, kernelRatios: [128, 256],
      maxKernelSamples: 4096, seeds: 2, temperature: 0.01, steps: 3000, recordEvery: 250,
      testCount: 1000, levels: [0.25, 0.5],
      mixedDimension: 8, mixedRatio: 32, mixedEpsilon: 0.1, mixedSteps: 3000,
      mixedRecordEvery: 100)
  }

  /// Seeds of draw k.
  public func dataSeed(draw k: Int) -> UInt64 { UInt64(k) + 1 }
  public func networkSeed(draw k: Int) -> UInt64 { UInt64(k) + 100 }

  func run(
    dimension d: Int, samples: Int, target: HermiteTarget, steps: Int, recordEvery: Int,
    draw k: Int
  ) -> FeatureLearningRun {
    FeatureLearningRun(
      dimension: d, width: widthFactor * d, samples: samples, target: target,
      temperature: temperature, steps: steps, recordEvery: recordEvery, testCount: testCount,
      seed: dataSeed(draw: k), networkSeed: networkSeed(draw: k))
  }

  /// Part 1: d × P/d × draw on He₃.
  public var networkRuns: [FeatureLearningRun] {
    dimensions.flatMap { d in
      ratios.filter { $0 * d <= maxNetworkSamples }.flatMap { r in
        (0..<seeds).map { k in
          run(
            dimension: d, samples: r * d, target: .hermite(order: 3), steps: steps,
            recordEvery: recordEvery, draw: k)
        }
      }
    }
  }

  /// Part 2: the GP alone (0 steps) at the kernel ratios whose P fits `maxKernelSamples`.
  public var kernelRuns: [FeatureLearningRun] {
    dimensions.flatMap { d in
      kernelRatios.filter { $0 * d <= maxKernelSamples }.flatMap { r in
        (0..<seeds).map { k in
          run(
            dimension: d, samples: r * d, target: .hermite(order: 3), steps: 0, recordEvery: 1,
            draw: k)
        }
      }
    }
  }

  /// Part 3: the mixed target, one run per draw.
  public var mixedRuns: [FeatureLearningRun] {
    (0..<seeds).map { k in
      run(
        dimension: mixedDimension, samples: mixedRatio * mixedDimension,
        target: .mixed(epsilon: mixedEpsilon), steps: mixedSteps, recordEvery: mixedRecordEvery,
        draw: k)
    }
  }

  /// Throws ``ConfigurationError`` naming the setting that cannot be used.
  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError {
      ConfigurationError(key: key, message: message)
    }
    guard !dimensions.isEmpty, dimensions.allSatisfy({ (1...4096).contains($0) }) else {
      throw fail("dimensions", "need at least one, each in 1…4096, got \(dimensions)")
    }
    guard !ratios.isEmpty, ratios.allSatisfy({ $0 >= 1 }) else {
      throw fail("ratios", "need at least one, each ≥ 1, got \(ratios)")
    }
    guard let smallest = dimensions.min(),
      ratios.contains(where: { $0 * smallest <= maxNetworkSamples })
    else {
      throw fail("ratios", "no P = ratio·d is within \(maxNetworkSamples) points")
    }
    guard (1...1000).contains(seeds) else {
      throw fail("seeds", "must be in 1…1000, got \(seeds)")
    }
    guard levels.allSatisfy({ $0 > 0 && $0 < 1 }), !levels.isEmpty else {
      throw fail("levels", "each level of A must be in (0, 1), got \(levels)")
    }
    for run in networkRuns + kernelRuns + mixedRuns { try run.validate() }
  }
}

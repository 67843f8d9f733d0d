import Foundation
import NN
import Statistics
import Trainability

/// One fit of `crit bench powerlaw`: the Clauset–Shalizi–Newman (2009) power-law fit of a
/// seeded sample and its likelihood-ratio comparison with a lognormal (Vuong's normalised
/// ratio R/(s√n) and its two-sided p).
public struct PowerLawBenchmarkFit: Encodable, Sendable {
  public var sample: String
  public var alpha: Double
  public var standardError: Double
  public var xMin: Double
  public var ksDistance: Double
  public var tail: Int
  public var lognormalRatio: Double
  public var lognormalP: Double
}

/// The reference samples of the power-law benchmark (n = 2000, seeded): Pareto with α = 2.5
/// and α = 3.5, and a lognormal with μ = 0, σ = 1, which a peer fits from the same numbers.
public enum PowerLawBenchmark {
  /// The samples, by name.
  public static func samples() -> [(name: String, values: [Double])] {
    [
      ("pareto-2.5", PowerLawSamples.pareto(count: 2000, alpha: 2.5, seed: 1)),
      ("pareto-3.5", PowerLawSamples.pareto(count: 2000, alpha: 3.5, seed: 2)),
      ("lognormal", PowerLawSamples.lognormal(count: 2000, mu: 0, sigma: 1, seed: 3)),
    ]
  }

  /// The fit of each sample (a sample too small to fit is left out).
  public static func fits(_ samples: [(name: String, values: [Double])]) -> [PowerLawBenchmarkFit] {
    samples.compactMap { name, values in
      guard let fit = PowerLawFit(values) else { return nil }
      let comparison = fit.compareWithLognormal()
      return PowerLawBenchmarkFit(
        sample: name, alpha: fit.alpha, standardError: fit.standardError, xMin: fit.xMin,
        ksDistance: fit.ksDistance, tail: fit.tailCount,
        lognormalRatio: comparison.normalizedRatio, lognormalP: comparison.pValue)
    }
  }
}

/// The memory-capacity sweep of `crit bench reservoir`, timed end to end: reservoirs drawn,
/// driven, read out and scored (Jaeger 2002's memory capacity), with the mean and 95 % CI over
/// seeds at each spectral radius.
public struct ReservoirBenchmark: Sendable {
  public var radii: [Double]
  /// The seeds' mean memory capacity at each radius.
  public var means: [Double]
  /// The 95 % CI half-width at each radius (NaN with one seed).
  public var halfWidths: [Double]
  public var reservoirs: Int
  public var seconds: Double

  /// Times `sweep` with `jobs` worker threads (the caller keeps BLAS single-threaded, so that
  /// the workers do not oversubscribe the cores); throws the sweep's first problem, if any, as
  /// a ``ConfigurationError``.
  public static func run(_ sweep: EchoStateSweep, jobs: Int) throws -> ReservoirBenchmark {
    if let problem = sweep.problem {
      throw ConfigurationError(key: problem.key, message: problem.message)
    }
    let clock = ContinuousClock()
    let start = clock.now
    let points = try sweep.run(jobs: jobs)
    let seconds = (clock.now - start).inSeconds
    let intervals = sweep.radii.map { r in
      MeanInterval(points.filter { $0.radius == r }.map(\.memoryCapacity.total))
    }
    return ReservoirBenchmark(
      radii: sweep.radii, means: intervals.map(\.mean), halfWidths: intervals.map(\.halfWidth),
      reservoirs: points.count, seconds: seconds)
  }
}

/// Throughput of the batched trainability trainer on an r × r grid of the wide view
/// [−3, 6]² of the reference problem (SPEC §7 protocol 4), in pixel-steps per second, with the
/// arithmetic rate of the steps the kernel actually ran (early exit stops a group of members
/// once all have diverged) and the float64 FMA peak probed on the same threads just before.
public struct TrainabilityBenchmark: Sendable {
  public var pixels: Int
  public var steps: Int
  public var converged: Int
  public var seconds: Double
  /// Member-steps the kernel computed (groups of lanes × the steps each group ran).
  public var laneSteps: Int
  /// Floating-point operations per member-step in the network's products
  /// (``BatchedTrainability/flopsPerMemberStep``).
  public var flopsPerLaneStep: Double
  public var peak: FusedMultiplyAddPeak
  public var pixelStepsPerSecond: Double { Double(pixels * steps) / seconds }
  /// The products' arithmetic rate over the steps computed.
  public var flopsPerSecond: Double { Double(laneSteps) * flopsPerLaneStep / seconds }
  /// ``flopsPerSecond`` as a fraction of the probed peak.
  public var fractionOfPeak: Double { flopsPerSecond / peak.flopsPerSecond }

  public static func run(
    resolution: Int, steps: Int, threads: Int, activation: Activation,
    precision: TrainabilityPrecision
  ) -> TrainabilityBenchmark {
    let peak = FusedMultiplyAddPeak.measure(threads: threads)
    let rates = learningRateGrid(centre: (1.5, 1.5), width: 9, resolution: resolution)
    let trainer = BatchedTrainability(
      problem: TrainabilityProblem(activation: activation), steps: steps, precision: precision)
    let clock = ContinuousClock()
    let start = clock.now
    let (measures, laneSteps) = trainer.measuresAndWork(
      rates.map { TrainabilityMember(eta0: $0.0, eta1: $0.1) }, threads: threads)!
    return TrainabilityBenchmark(
      pixels: rates.count, steps: steps,
      converged: measures.filter(TrainabilityMeasure.converged).count,
      seconds: (clock.now - start).inSeconds, laneSteps: laneSteps,
      flopsPerLaneStep: trainer.flopsPerMemberStep, peak: peak)
  }

  /// Every variant of ``trainabilityCheckSetups(steps:)`` at three views against the
  /// straightforward trainer; `progress` sees each setup's comparison and seconds as it ends.
  public static func check(
    steps: Int, resolution: Int, threads: Int,
    progress: (TrainabilitySetup, StraightforwardComparison, Double) -> Void
  ) {
    for setup in trainabilityCheckSetups(steps: steps) {
      let clock = ContinuousClock()
      let start = clock.now
      let result = compareWithStraightforward(
        setup, problem: setup.problem, resolution: resolution, threads: threads)
      progress(setup, result, (clock.now - start).inSeconds)
    }
  }
}

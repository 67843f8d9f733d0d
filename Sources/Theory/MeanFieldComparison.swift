import NN
import Runner

/// Mean-field theory beside a finite random network at one (σ_w², σ_b²) (SPEC §7 protocol 3;
/// Poole et al. 2016, Schoenholz et al. 2017): the theory's fixed points and maps, the
/// measured per-layer lengths, correlations and χ₁, and the theory's trajectories started from
/// the measured first layer.
public struct MeanFieldComparison: Sendable {
  public var weightVariance: Double
  public var biasVariance: Double
  public var theory: MeanField
  public var measurement: RandomNetworkMeasurement

  public init(
    weightVariance: Double, biasVariance: Double, theory: MeanField,
    measurement: RandomNetworkMeasurement
  ) {
    self.weightVariance = weightVariance
    self.biasVariance = biasVariance
    self.theory = theory
    self.measurement = measurement
  }

  /// Measured q*: the mean of q^l over the second half of the layers.
  public var measuredLength: Double {
    let tail = measurement.lengths.suffix(measurement.lengths.count / 2)
    return tail.reduce(0, +) / Double(max(tail.count, 1))
  }

  /// Measured χ₁: the mean over layers after the first ten (or the second half if fewer).
  public var measuredChi1: Double {
    let skip = min(10, measurement.chi1.count / 2)
    let tail = measurement.chi1.dropFirst(skip)
    return tail.reduce(0, +) / Double(max(tail.count, 1))
  }

  /// Theory's q^l and c^l, started from the measured first layer and iterated with the
  /// length map and the correlation map at the current length.
  public var predictedTrajectories: (lengths: [Double], correlations: [Double]) {
    guard let q1 = measurement.lengths.first, let c1 = measurement.correlations.first else {
      return ([], [])
    }
    var q = q1
    var c = c1
    var lengths = [q]
    var correlations = [c]
    for _ in 1..<measurement.lengths.count {
      let next = theory.lengthMap(q)
      c = theory.correlationMap(c, q: q) * q / next
      q = next
      lengths.append(q)
      correlations.append(c)
    }
    return (lengths, correlations)
  }

  /// Theory beside measurement over the grid `biasVariances × weightVariances` (σ_b² outer),
  /// one network per point with seed `seed + i` (i its index in that order), on `jobs` threads
  /// (the result does not depend on `jobs`); `progress` hears each finished point.
  public static func grid(
    activation: Activation, width: Int, depth: Int, weightVariances: [Double],
    biasVariances: [Double], seed: UInt64, jobs: Int,
    progress: @escaping @Sendable () -> Void = {}
  ) -> [MeanFieldComparison] {
    let grid = biasVariances.flatMap { b in weightVariances.map { (w: $0, b: b) } }
    return ParallelMap.all(grid, jobs: jobs, onResult: { _, _ in progress() }) { i, point in
      MeanFieldComparison(
        weightVariance: point.w, biasVariance: point.b,
        theory: MeanField(activation: activation, weightVariance: point.w, biasVariance: point.b),
        measurement: RandomNetworkMeasurement(
          activation: activation, weightVariance: point.w, biasVariance: point.b, width: width,
          depth: depth, seed: seed &+ UInt64(i)))
    }
  }
}

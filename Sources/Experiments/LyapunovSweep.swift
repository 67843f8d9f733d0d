import Dispatch
import Foundation
import NN
import Runner
import Tensors
import Theory

/// λ_max of random tanh recurrent networks `h_{t+1} = tanh(g W h_t + ξ_t)` against the gain g,
/// undriven (ξ = 0) and driven by independent Gaussian noise `ξ_{t,i} ~ N(0, s²)` (SPEC §7
/// protocol 5, second part), beside mean field: `λ_max = ½ ln(g² E[φ′(√q* z)²])` with q* the
/// fixed point of `q = g² E[φ(√q z)²] + s²` — noise enters the mean-field variance like a bias
/// (Molgedey, Schuchhardt & Schuster 1992, "Suppressing chaos in neural networks by noise"), so
/// drive pushes the transition above g = 1.
public struct LyapunovSweep: Codable, Hashable, Sendable {
  public var gains: [Double]
  public var units: Int
  public var steps: Int
  public var transient: Int
  /// s, the standard deviation of the drive.
  public var driveStandardDeviation: Double
  public var seeds: [UInt64]

  public init(
    gains: [Double] = [0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 2, 2.5, 3], units: Int = 1000,
    steps: Int = 3000, transient: Int = 500, driveStandardDeviation: Double = 0.1,
    seeds: [UInt64] = [0]
  ) {
    self.gains = gains
    self.units = units
    self.steps = steps
    self.transient = transient
    self.driveStandardDeviation = driveStandardDeviation
    self.seeds = seeds
  }

  /// Why the sweep cannot run (the key and what is allowed), or `nil`.
  public var problem: (key: String, message: String)? {
    if gains.isEmpty || gains.contains(where: { !($0 > 0 && $0 <= 1000) }) {
      return ("gains", "need gains in (0, 1000], got \(gains)")
    }
    if units < 2 || units > 20_000 { return ("units", "must be in 2…20000, got \(units)") }
    if steps < 1 || transient < 0 { return ("steps", "need steps ≥ 1 and transient ≥ 0") }
    if !(driveStandardDeviation >= 0 && driveStandardDeviation <= 1000) {
      return ("driveStandardDeviation", "must be in [0, 1000], got \(driveStandardDeviation)")
    }
    if seeds.isEmpty { return ("seeds", "need at least one seed") }
    return nil
  }

  /// Mean-field λ_max at gain g, driven or not.
  public func meanField(gain: Double, driven: Bool) -> Double {
    meanFieldLyapunovExponent(
      activation: .tanh, gain: gain,
      biasVariance: driven ? driveStandardDeviation * driveStandardDeviation : 0)
  }

  /// Simulates every (gain, driven, seed) on `jobs` threads; results do not depend on `jobs`.
  public func run(jobs: Int = 1, progress: @escaping @Sendable (Int) -> Void = { _ in })
    -> [LyapunovPoint]
  {
    let work = gains.flatMap { g in
      [false, true].flatMap { driven in seeds.map { (gain: g, driven: driven, seed: $0) } }
    }
    let done = LockedBox(0)
    let sweep = self
    return ParallelMap.all(
      work, jobs: jobs,
      onResult: { _, _ in
        done.withLock { count in
          count += 1
          progress(count)
        }
      }
    ) { _, item in
      let s = sweep.driveStandardDeviation
      var noise = SplittableRandom(seed: item.seed).derived("drive")
      let units = sweep.units
      let simulated = simulatedLyapunovExponents(
        activation: .tanh, gain: item.gain, units: units, steps: sweep.steps,
        transient: sweep.transient, seed: item.seed,
        drive: item.driven ? { _ in (0..<units).map { _ in s * noise.nextNormal() } } : nil)[0]
      return LyapunovPoint(
        gain: item.gain, driven: item.driven, seed: item.seed, simulated: simulated,
        meanField: sweep.meanField(gain: item.gain, driven: item.driven))
    }
  }
}

/// One simulated network of a ``LyapunovSweep``.
public struct LyapunovPoint: Codable, Sendable, Equatable {
  public var gain: Double
  public var driven: Bool
  public var seed: UInt64
  public var simulated: Double
  public var meanField: Double
}

import NN
import Runner
import Tensors

/// The largest exponents of random recurrent networks `h ← φ(g W h + b + ξ)` against the gain
/// g, simulated by the QR method (``simulatedLyapunovExponents``) beside mean field
/// (``meanFieldLyapunovExponent``, with the drive's variance s² added to σ_b²). Network i
/// (gain `gains[i]`) uses seed `seed + i`; its drive ξ ~ N(0, s²) per unit and step comes from
/// the same seed's `drive` stream.
public struct LyapunovScan: Sendable {
  public var activation: Activation
  public var gains: [Double]
  public var units: Int
  public var steps: Int
  public var transient: Int
  public var biasVariance: Double
  /// s, the standard deviation of the drive (0: undriven).
  public var drive: Double
  public var exponents: Int
  public var seed: UInt64

  public init(
    activation: Activation, gains: [Double], units: Int, steps: Int, transient: Int,
    biasVariance: Double, drive: Double, exponents: Int, seed: UInt64
  ) {
    self.activation = activation
    self.gains = gains
    self.units = units
    self.steps = steps
    self.transient = transient
    self.biasVariance = biasVariance
    self.drive = drive
    self.exponents = exponents
    self.seed = seed
  }

  /// Mean-field λ_max at gain g.
  public func meanField(gain: Double) -> Double {
    meanFieldLyapunovExponent(
      activation: activation, gain: gain, biasVariance: biasVariance + drive * drive)
  }

  /// Each gain's first `exponents` Lyapunov exponents, in the order of `gains`, on `jobs`
  /// threads (the result does not depend on `jobs`); `progress` counts finished networks.
  public func simulate(jobs: Int, progress: @escaping @Sendable (Int) -> Void = { _ in })
    -> [[Double]]
  {
    let scan = self
    let done = LockedBox(0)
    return ParallelMap.all(
      Array(gains.indices), jobs: jobs,
      onResult: { _, _ in
        done.withLock { count in
          count += 1
          progress(count)
        }
      }
    ) { _, i in
      var noise = SplittableRandom(seed: scan.seed &+ UInt64(i)).derived("drive")
      let (n, s) = (scan.units, scan.drive)
      return simulatedLyapunovExponents(
        activation: scan.activation, gain: scan.gains[i], units: scan.units, steps: scan.steps,
        transient: scan.transient, exponents: scan.exponents, biasVariance: scan.biasVariance,
        seed: scan.seed &+ UInt64(i),
        drive: s > 0 ? { _ in (0..<n).map { _ in s * noise.nextNormal() } } : nil)
    }
  }
}

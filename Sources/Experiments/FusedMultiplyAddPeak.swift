import Foundation
import Runner
import Trainability

/// The processor's float64 peak as measured by ``VectorUnits/probe(iterations:)`` (independent
/// chains of fused multiply–adds on the kernels' widest vectors) on `threads` threads at once, so
/// that a kernel's rate is stated as a fraction of what these cores did in the same run.
public struct FusedMultiplyAddPeak: Sendable, Encodable {
  /// "AVX-512", "AVX2+FMA" or "baseline".
  public var instructionSet: String
  public var threads: Int
  /// Floating-point operations per second, all threads together (2 per lane per FMA).
  public var flopsPerSecond: Double

  /// The best of three rounds of about `seconds` each (a round slowed by another process does
  /// not set the peak); the number of iterations is calibrated on one thread first.
  public static func measure(threads: Int, seconds: Double = 0.25) -> FusedMultiplyAddPeak {
    var iterations = 1 << 14
    var calibration = timed(iterations: iterations)
    while calibration.seconds < seconds / 4 {
      iterations *= 2
      calibration = timed(iterations: iterations)
    }
    iterations = max(iterations, Int(Double(iterations) * seconds / calibration.seconds))
    var best = 0.0
    let clock = ContinuousClock()
    for _ in 0..<3 {
      let start = clock.now
      let flops =
        (try? ParallelMap.run(Array(0..<threads), jobs: threads) { _, _ in
          VectorUnits.probe(iterations: iterations).flops
        })?.reduce(0.0) { $0 + ($1 ?? 0) } ?? 0
      best = max(best, flops / max((clock.now - start).inSeconds, 1e-9))
    }
    return FusedMultiplyAddPeak(
      instructionSet: VectorUnits.instructionSet, threads: threads, flopsPerSecond: best)
  }

  private static func timed(iterations: Int) -> (flops: Double, seconds: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let flops = VectorUnits.probe(iterations: iterations).flops
    return (flops, (clock.now - start).inSeconds)
  }
}

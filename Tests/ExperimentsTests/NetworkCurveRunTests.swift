import Data
import Experiments
import Statistics
import Testing

/// A wide centred network trained to convergence (``NetworkCurveRun``) approaches NTK ridge
/// regression on the same points, and a narrow one is further from it: power-law data d = 8,
/// P = 32, λ = 0.01, erf, four initialisations per width. Widths 16 and 2048. Measured: mean
/// |relative deviation| 0.21 at width 16 and 0.031 at width 2048. The bound 0.08 at width
/// 2048 allows for the empirical kernel's O(1/√N) fluctuation (≈ 2 % here) amplified by the
/// regression; the error is an order of magnitude above it at width 16.
@Test func wideNetworksApproachTheKernelLimit() throws {
  let data = DataConfiguration(
    kind: .powerLaw, count: 0, dimension: 8, alpha: 1, task: .regression, seed: 0)
  func deviations(width: Int) throws -> [Double] {
    try (0..<4).map { seed in
      let result = try #require(
        try NetworkCurveRun(
          data: data, activation: .erf, weightStd: 1.5, biasStd: 0.1, width: width, samples: 32,
          spectrumPoints: 64, testCount: 200, ridge: 0.01, seed: 3, networkSeed: UInt64(seed)
        ).run())
      #expect(result.converged, "width \(width): \(result)")
      return abs(result.relativeDeviation)
    }
  }
  let narrow = MeanInterval(try deviations(width: 16))
  let wide = MeanInterval(try deviations(width: 2048))
  #expect(wide.mean < narrow.mean)
  #expect(wide.mean < 0.08)
}

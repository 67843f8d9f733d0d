import RealModule
import Tensors

/// Seeded reference samples for power-law fitting: Pareto `x = x_min·U^{−1/(α−1)}` (density
/// `∝ x^{−α}` above `x_min`) and lognormal `x = e^{μ + σ z}`.
public enum PowerLawSamples {
  public static func pareto(count: Int, alpha: Double, xMin: Double = 1, seed: UInt64) -> [Double] {
    var rng = SplittableRandom(seed: seed)
    return (0..<count).map { _ in
      xMin * Double.pow(1 - rng.nextUniform(), -1 / (alpha - 1))
    }
  }

  public static func lognormal(count: Int, mu: Double, sigma: Double, seed: UInt64) -> [Double] {
    var rng = SplittableRandom(seed: seed)
    return (0..<count).map { _ in Double.exp(mu + sigma * rng.nextNormal()) }
  }
}

import RealModule
import Tensors

/// A learning curve's power law with a floor, `E(P) = a·P^−β + c` with a, c ≥ 0, fitted by
/// relative least squares: it minimises `Σ_i ((a P_i^−β + c − E_i)/E_i)²`, so that every point
/// of a curve spanning decades counts alike (as a fit in log space would, to first order).
/// For each β, a and c are the weighted linear least-squares solution (c clamped at 0, then a
/// at 0, when the unconstrained one is negative); β is the minimum over a grid of step 0.01
/// on [0, 6], refined by golden-section search within the grid step.
///
/// ``bootstrap(curves:samples:resamples:level:seed:)`` gives the percentile interval of β
/// (and of a and c) over curves resampled with replacement: each resample averages its
/// curves point by point and is fitted again (Efron & Tibshirani 1993, §13.3).
public struct LearningCurveFit: Codable, Sendable, Equatable {
  public var amplitude: Double
  public var exponent: Double
  public var floor: Double
  /// Root mean square of the relative residuals.
  public var relativeResidual: Double

  /// The fitted curve at P.
  public func value(at samples: Double) -> Double {
    amplitude * Double.pow(samples, -exponent) + floor
  }

  /// Fits the finite, positive errors; `nil` with fewer than three.
  public init?(samples: [Double], errors: [Double]) {
    let points = zip(samples, errors).filter {
      $0.0 > 0 && $0.0.isFinite && $0.1 > 0 && $0.1.isFinite
    }
    guard points.count >= 3 else { return nil }
    let x = points.map(\.0)
    let y = points.map(\.1)
    func solve(_ beta: Double) -> (a: Double, c: Double, cost: Double) {
      // Weighted normal equations with weights 1/y²: columns u = P^−β and 1.
      var (suu, su1, s11, suy, s1y) = (0.0, 0.0, 0.0, 0.0, 0.0)
      var u = [Double](repeating: 0, count: x.count)
      for i in x.indices {
        u[i] = Double.pow(x[i], -beta)
        let w = 1 / (y[i] * y[i])
        suu += w * u[i] * u[i]
        su1 += w * u[i]
        s11 += w
        suy += w * u[i] * y[i]
        s1y += w * y[i]
      }
      let determinant = suu * s11 - su1 * su1
      var a = determinant > 0 ? (suy * s11 - su1 * s1y) / determinant : -1
      var c = determinant > 0 ? (suu * s1y - su1 * suy) / determinant : -1
      if c < 0 || a < 0 {
        // The best fit with c = 0, else with a = 0.
        c = 0
        a = suu > 0 ? suy / suu : 0
        if a < 0 {
          a = 0
          c = s1y / s11
        }
      }
      var cost = 0.0
      for i in x.indices {
        let r = (a * u[i] + c - y[i]) / y[i]
        cost += r * r
      }
      return (a, c, cost)
    }
    var best = (beta: 0.0, cost: Double.infinity)
    for step in 0...600 {
      let beta = Double(step) * 0.01
      let cost = solve(beta).cost
      if cost < best.cost { best = (beta, cost) }
    }
    // Golden-section search on [β − 0.01, β + 0.01].
    var (lo, hi) = (max(0, best.beta - 0.01), min(6, best.beta + 0.01))
    let ratio = (5.0.squareRoot() - 1) / 2
    var (m1, m2) = (hi - ratio * (hi - lo), lo + ratio * (hi - lo))
    var (f1, f2) = (solve(m1).cost, solve(m2).cost)
    for _ in 0..<40 {
      if f1 < f2 {
        (hi, m2, f2) = (m2, m1, f1)
        m1 = hi - ratio * (hi - lo)
        f1 = solve(m1).cost
      } else {
        (lo, m1, f1) = (m1, m2, f2)
        m2 = lo + ratio * (hi - lo)
        f2 = solve(m2).cost
      }
    }
    let refined = f1 < f2 ? m1 : m2
    let beta = solve(refined).cost <= best.cost ? refined : best.beta
    let fit = solve(beta)
    amplitude = fit.a
    exponent = beta
    floor = fit.c
    relativeResidual = (fit.cost / Double(x.count)).squareRoot()
  }

  /// A fit with percentile intervals of its parameters.
  public struct Bootstrapped: Codable, Sendable, Equatable {
    /// The fit of the mean curve.
    public var fit: LearningCurveFit
    public var exponent: ClosedInterval
    public var amplitude: ClosedInterval
    public var floor: ClosedInterval
    public var level: Double
    /// Resamples whose fit failed (fewer than three usable points) are left out.
    public var resamples: Int
  }

  /// A closed interval [lower, upper].
  public struct ClosedInterval: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double
  }

  /// The point-by-point mean of curves over the finite values at each point.
  public static func meanCurve(_ curves: [[Double]]) -> [Double] {
    guard let length = curves.first?.count else { return [] }
    return (0..<length).map { i in
      let values = curves.compactMap { i < $0.count && $0[i].isFinite ? $0[i] : nil }
      return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }
  }

  /// Fits the mean of `curves` (one per independent draw, each over `samples`) and bootstraps
  /// over draws; `nil` when the mean curve cannot be fitted.
  public static func bootstrap(
    curves: [[Double]], samples: [Double], resamples: Int = 1000, level: Double = 0.95,
    seed: UInt64 = 0
  ) -> Bootstrapped? {
    guard let fit = LearningCurveFit(samples: samples, errors: meanCurve(curves)) else {
      return nil
    }
    var random = SplittableRandom(seed: seed)
    var fits: [LearningCurveFit] = []
    for _ in 0..<resamples {
      let drawn = curves.indices.map { _ in curves[random.nextInt(below: curves.count)] }
      if let refit = LearningCurveFit(samples: samples, errors: meanCurve(drawn)) {
        fits.append(refit)
      }
    }
    func interval(_ values: [Double]) -> ClosedInterval {
      let sorted = values.sorted()
      return ClosedInterval(
        lower: empiricalQuantile(sorted: sorted, (1 - level) / 2),
        upper: empiricalQuantile(sorted: sorted, (1 + level) / 2))
    }
    return Bootstrapped(
      fit: fit, exponent: interval(fits.map(\.exponent)),
      amplitude: interval(fits.map(\.amplitude)), floor: interval(fits.map(\.floor)),
      level: level, resamples: fits.count)
  }
}

import Foundation
import Tensors

/// Gauss–Legendre quadrature on an interval, `∫_a^b f(x) dx ≈ Σ_i w_i f(x_i)`, exact for
/// polynomials of degree below `2n`. Nodes and weights by Golub–Welsch (the Jacobi matrix of
/// the Legendre polynomials has zero diagonal and off-diagonal k/√(4k² − 1); each weight is
/// 2 × the squared first component of its unit eigenvector, rescaled to the interval).
public struct GaussLegendre: Sendable {
  /// Nodes and weights on [−1, 1].
  public let nodes: [Double]
  public let weights: [Double]

  public init(points n: Int) {
    (nodes, weights) = golubWelsch(points: n, mass: 2) {
      Double($0) / (4 * Double($0 * $0) - 1).squareRoot()
    }
  }

  /// `∫_a^b f(x) dx`.
  public func integral(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
    let (half, middle) = ((b - a) / 2, (a + b) / 2)
    var total = 0.0
    for i in nodes.indices { total += weights[i] * f(middle + half * nodes[i]) }
    return half * total
  }
}

/// `E[f(u) g(v)]` for a centred Gaussian pair with `Var u = q₁`, `Var v = q₂`, `Cov(u, v) = c`,
/// accurate to about 1e-12 for functions smooth except at 0 (ReLU, its step derivative,
/// leaky ReLU), where Gauss–Hermite converges only algebraically.
///
/// With `u = a z₁`, `v = b z₁ + e z₂` (a = √q₁, b = c/a, e = √(q₂ − b²)) and `z = r(cos t, sin t)`,
/// `E = (1/2π) ∫₀^{2π} dt ∫₀^∞ r e^{−r²/2} f(r a cos t) g(r (b cos t + e sin t)) dr`. Along a ray
/// the arguments keep their sign, so the radial integrand is smooth; in the angle the only
/// kinks are where `a cos t` or `b cos t + e sin t` change sign. The angle is split there
/// into panels, each integrated by composite Gauss–Legendre, and the radius by composite
/// Gauss–Legendre on [0, 12] (the mass beyond is e^{−72}).
public struct GaussianPairExpectation: Sendable {
  let rule: GaussLegendre
  let angularPanels: Int
  let radialPanels: Int

  public init(points: Int = 20, angularPanels: Int = 3, radialPanels: Int = 6) {
    rule = GaussLegendre(points: points)
    self.angularPanels = angularPanels
    self.radialPanels = radialPanels
  }

  public static let standard = GaussianPairExpectation()

  public func expectation(
    q1: Double, q2: Double, c: Double, _ f: (Double) -> Double, _ g: (Double) -> Double
  ) -> Double {
    let a = max(q1, 0).squareRoot()
    let b = a > 0 ? c / a : 0
    let e = max(q2 - b * b, 0).squareRoot()
    let twoPi = 2 * Double.pi
    var breaks = [0, twoPi, Double.pi / 2, 3 * Double.pi / 2]
    let t0 = atan2(-b, e)
    for t in [t0, t0 + .pi] {
      let wrapped = t.truncatingRemainder(dividingBy: twoPi)
      breaks.append(wrapped < 0 ? wrapped + twoPi : wrapped)
    }
    breaks.sort()
    let radius = 12.0
    var total = 0.0
    for k in 0..<(breaks.count - 1) where breaks[k + 1] - breaks[k] > 1e-15 {
      let width = (breaks[k + 1] - breaks[k]) / Double(angularPanels)
      for p in 0..<angularPanels {
        let start = breaks[k] + Double(p) * width
        total += rule.integral(from: start, to: start + width) { t in
          let (alpha, beta) = (a * cos(t), b * cos(t) + e * sin(t))
          var radial = 0.0
          let step = radius / Double(radialPanels)
          for s in 0..<radialPanels {
            radial += rule.integral(from: Double(s) * step, to: Double(s + 1) * step) { r in
              r * exp(-r * r / 2) * f(r * alpha) * g(r * beta)
            }
          }
          return radial
        }
      }
    }
    return total / twoPi
  }
}

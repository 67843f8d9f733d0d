import Foundation
import Tensors
import Testing
import Theory

/// The closed form of E[erf(w·x) He_k(w*·x)] against Monte Carlo over 10⁷ inputs
/// x ~ N(0, I₆) (w* = e₁ rotated into all six axes), for five weight vectors — small and large
/// norms, positive, negative and zero overlap with w* — and k = 1, 2, 3, 5. Each estimate is
/// held to 3 of its standard errors (√(Var/10⁷), from the same samples), with an absolute floor
/// of 1e-12 for the values that are exactly 0 (k even; w ⟂ w*), whose samples still scatter.
@Test func erfHermiteOverlapMatchesMonteCarlo() {
  let d = 6
  let teacher = (0..<d).map { _ in 1 / Double(d).squareRoot() }
  let weights: [[Double]] = [
    [0.4, 0.1, -0.2, 0.3, 0.0, 0.1],
    [1.5, 0.9, 0.2, -0.7, 0.4, 1.1],
    [-0.3, -0.5, 0.1, -0.2, -0.4, 0.0],
    [0.5, -0.5, 0.5, -0.5, 0.5, -0.5],  // orthogonal to w*
    [0.05, 0.02, 0.01, 0.03, 0.0, 0.04],
  ]
  let orders = [1, 2, 3, 5]
  func hermite(_ k: Int, _ z: Double) -> Double {
    switch k {
    case 1: return z
    case 2: return z * z - 1
    case 3: return z * z * z - 3 * z
    default: return z * z * z * z * z - 10 * z * z * z + 15 * z
    }
  }
  var random = SplittableRandom(seed: 17)
  let samples = 10_000_000
  var sums = [[Double]](
    repeating: [Double](repeating: 0, count: orders.count), count: weights.count)
  var squares = sums
  var x = [Double](repeating: 0, count: d)
  for _ in 0..<samples {
    for i in 0..<d { x[i] = random.nextNormal() }
    var v = 0.0
    for i in 0..<d { v += teacher[i] * x[i] }
    let targets = orders.map { hermite($0, v) }
    for (j, w) in weights.enumerated() {
      var u = 0.0
      for i in 0..<d { u += w[i] * x[i] }
      let e = erf(u)
      for k in orders.indices {
        let value = e * targets[k]
        sums[j][k] += value
        squares[j][k] += value * value
      }
    }
  }
  for (j, w) in weights.enumerated() {
    let squaredNorm = w.reduce(0) { $0 + $1 * $1 }
    let overlap = zip(w, teacher).reduce(0) { $0 + $1.0 * $1.1 }
    for (k, order) in orders.enumerated() {
      let mean = sums[j][k] / Double(samples)
      let variance = squares[j][k] / Double(samples) - mean * mean
      let standardError = (variance / Double(samples)).squareRoot()
      let exact = HermiteOverlap.erf(order: order, squaredNorm: squaredNorm, overlap: overlap)
      #expect(
        abs(mean - exact) <= 3 * standardError + 1e-12,
        "w \(j), k = \(order): Monte Carlo \(mean) ± \(standardError), closed form \(exact)")
    }
  }
  // The target's norm: E[He_k(z)²] = k!.
  #expect(HermiteOverlap.squaredNorm(order: 3) == 6 && HermiteOverlap.squaredNorm(order: 5) == 120)
}

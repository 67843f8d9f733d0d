import Data
import Tensors
import Testing

/// The recurrence gives the explicit polynomials He₂ = z² − 1, He₃ = z³ − 3z,
/// He₄ = z⁴ − 6z² + 3, He₅ = z⁵ − 10z³ + 15z (exact in floating point for these small integer
/// coefficients up to rounding: 1e-12 relative at |z| ≤ 3).
@Test func hermiteRecurrenceEqualsTheExplicitPolynomials() {
  for z in stride(from: -3.0, through: 3.0, by: 0.37) {
    let explicit = [
      1, z, z * z - 1, z * z * z - 3 * z, z * z * z * z - 6 * z * z + 3,
      z * z * z * z * z - 10 * z * z * z + 15 * z,
    ]
    for (k, value) in explicit.enumerated() {
      #expect(
        abs(HermiteTarget.hermite(k, z) - value) <= 1e-12 * max(1, abs(value)), "He\(k)(\(z))")
    }
  }
}

/// Gradient check of every target: g′ against a central difference with h = 1e-5 (truncation
/// error h²·|g‴|/6 ≲ 1e-8 for these polynomials at |z| ≤ 2.5; rounding ε|g|/h ≲ 1e-9), held to
/// 1e-6 relative.
@Test(arguments: [
  HermiteTarget.hermite(order: 1), .hermite(order: 2), .hermite(order: 3), .hermite(order: 4),
  .mixed(epsilon: 0.1), .mixed(epsilon: -2),
])
func hermiteTargetDerivativesMatchFiniteDifferences(target: HermiteTarget) {
  let h = 1e-5
  for z in stride(from: -2.5, through: 2.5, by: 0.41) {
    let numeric = (target.value(z + h) - target.value(z - h)) / (2 * h)
    #expect(
      abs(target.derivative(z) - numeric) <= 1e-6 * max(1, abs(numeric)),
      "\(target) at \(z): \(target.derivative(z)) vs \(numeric)")
  }
}

/// The norms E[g(z)²] (k! and 1 + 6ε²) against 10⁶ Monte Carlo samples, within 4 standard
/// errors (from the same samples); and orthogonality E[He₂ He₃] = 0 and E[He₃ He₄] = 0 likewise.
@Test func hermiteTargetNormsMatchMonteCarlo() {
  var random = SplittableRandom(seed: 2)
  let targets: [HermiteTarget] = [.hermite(order: 2), .hermite(order: 3), .mixed(epsilon: 0.5)]
  let n = 1_000_000
  var sums = [Double](repeating: 0, count: 5)
  var squares = sums
  for _ in 0..<n {
    let z = random.nextNormal()
    let values =
      targets.map { $0.value(z) * $0.value(z) }
      + [
        HermiteTarget.hermite(2, z) * HermiteTarget.hermite(3, z),
        HermiteTarget.hermite(3, z) * HermiteTarget.hermite(4, z),
      ]
    for (i, v) in values.enumerated() {
      sums[i] += v
      squares[i] += v * v
    }
  }
  let expected = targets.map(\.squaredNorm) + [0, 0]
  #expect(expected[0] == 2 && expected[1] == 6 && expected[2] == 2.5)
  for i in expected.indices {
    let mean = sums[i] / Double(n)
    let standardError = ((squares[i] / Double(n) - mean * mean) / Double(n)).squareRoot()
    #expect(abs(mean - expected[i]) <= 4 * standardError, "\(i): \(mean) vs \(expected[i])")
  }
}

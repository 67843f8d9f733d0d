import Foundation
import Testing
import Theory

/// The theory's learning-curve exponent is within 0.05 of min(a − 1, 2b) for power-law
/// spectra η_k = k^−b and target power k^−a (ridgeless, 2²⁰ modes, local slope of log E_g
/// against log P between P = 2⁹ and 2¹²). Pairs on both sides of a − 1 = 2b (the target-limited
/// and the spectrum-limited regime), away from the crossover where a logarithmic correction
/// slows the approach; all with b > 1, since a kernel's eigenvalues must be summable (with
/// b ≤ 1 the truncated sum Σ η_k grows with the number of modes and so does κ: at b = 1 the
/// slope misses by 0.06, at b = 0.5 by 0.2).
@Test(arguments: [(2.0, 1.5), (2.5, 2.0), (1.6, 1.2), (4.0, 1.25), (5.0, 1.5), (3.0, 3.0)])
func learningCurveExponentIsTheSpectralPrediction(a: Double, b: Double) {
  let theory = KernelLearningCurve.powerLaw(eigenvalueDecay: b, targetDecay: a, modes: 1 << 20)
  let (small, large) = (512.0, 4096.0)
  let slope =
    -(log(theory.point(samples: large).error) - log(theory.point(samples: small).error))
    / (log(large) - log(small))
  let predicted = min(a - 1, 2 * b)
  #expect(abs(slope - predicted) < 0.05, "a = \(a), b = \(b): \(slope) vs \(predicted)")
}

/// Exact small cases. One mode with ridge λ: κ = λ + κη/(Pη + κ) gives
/// κ² + (Pη − λ − η)κ − λPη = 0, and E_g = κ² v² / ((Pη + κ)² (1 − γ)).
/// Ridgeless with P ≥ M every mode is learned: κ = 0 and E_g = 0.
@Test func learningCurveSolvesSmallCasesExactly() {
  let (eta, v2, lambda, p) = (0.7, 1.3, 0.2, 5.0)
  let curve = KernelLearningCurve(eigenvalues: [eta], targetPower: [v2], ridge: lambda)
  let bq = p * eta - lambda - eta
  let kappa = (-bq + (bq * bq + 4 * lambda * p * eta).squareRoot()) / 2
  let gamma = p * eta * eta / ((p * eta + kappa) * (p * eta + kappa))
  let error = kappa * kappa * v2 / ((p * eta + kappa) * (p * eta + kappa) * (1 - gamma))
  let point = curve.point(samples: p)
  // Bisection to a relative width of 1e-15, then a few roundings.
  #expect(abs(point.kappa - kappa) < 1e-13 * kappa, "\(point.kappa) vs \(kappa)")
  #expect(abs(point.error - error) < 1e-12 * error, "\(point.error) vs \(error)")
  let learned = KernelLearningCurve(eigenvalues: [1, 0.5, 0.25], targetPower: [1, 1, 1])
  #expect(learned.point(samples: 4).kappa == 0 && learned.point(samples: 4).error == 0)
  // Before that, the ridgeless κ solves Σ η_k/(Pη_k + κ) = 1: at P = 1 with η = (1, 1),
  // 2/(1 + κ) = 1, κ = 1.
  let two = KernelLearningCurve(eigenvalues: [1, 1], targetPower: [1, 0])
  #expect(abs(two.kappa(samples: 1) - 1) < 1e-13)
}

import Autodiff
import CritTestSupport
import Steering
import Tensors
import Testing

/// ∂ρ/∂W from the left and right eigenvectors against central differences of ρ computed by
/// dgeev (relative error < 1e-6), on random non-symmetric 6×6 matrices.
@Test(arguments: [1, 2, 3, 5] as [UInt64])
func spectralRadiusGradient(seed: UInt64) throws {
  let w = randomTensor([6, 6], seed: seed)
  let result = checkGradients(at: [w]) { try! spectralRadius($0[0]) }
  #expect(result.relativeError < 1e-6, "\(result)")
}

/// A real dominant eigenvalue (a matrix with a planted large real eigenvalue) and a complex one
/// (a planted rotation block) both pass the check.
@Test func spectralRadiusGradientRealAndComplexBranches() throws {
  var real = randomTensor([5, 5], seed: 8, low: -0.2, high: 0.2)
  real[0, 0] += 2
  var complex = randomTensor([5, 5], seed: 9, low: -0.2, high: 0.2)
  complex[0, 1] += 2
  complex[1, 0] -= 2
  #expect(try dominantEigenpair(real).eigenvalue.imaginary == 0)
  #expect(try dominantEigenpair(complex).eigenvalue.imaginary != 0)
  for w in [real, complex] {
    let result = checkGradients(at: [w]) { try! spectralRadius($0[0]) }
    #expect(result.relativeError < 1e-6, "\(result)")
  }
}

/// The recurrent penalty λ(m − τ)² for both measures: its gradient passes the finite-difference
/// check, and gradient descent on the penalty alone brings the measure to τ.
@Test(arguments: RecurrentSpectralMeasure.allCases)
func recurrentPenaltyGradientAndDescent(measure: RecurrentSpectralMeasure) throws {
  let w0 = randomTensor([6, 6], seed: 4)
  // σ_max's power iteration runs to 1e-13 so that its error stays below the finite
  // differences' (as in the feedforward penalty's check).
  var penalty = RecurrentSpectralPenalty(
    measure: measure, weight: 0.5, target: 1.3, tolerance: 1e-13)
  let check = checkGradients(at: [w0]) { try! penalty($0[0]).penalty }
  #expect(check.relativeError < 1e-6, "\(check)")
  let w = Variable(w0, requiresGradient: true)
  var value = 0.0
  for _ in 0..<300 {
    w.zeroGradient()
    let (p, m) = try penalty(w)
    value = m
    p.backward()
    w.value.add(w.grad!, scaledBy: -0.2)
  }
  #expect(abs(value - 1.3) < 1e-3, "\(measure): \(value)")
}

/// Adaptive recurrent targets move up when χ₁ < 1 (activity dies out) and down when χ₁ > 1.
@Test func adaptiveRecurrentTargetFollowsChi1() {
  var penalty = RecurrentSpectralPenalty(
    measure: .spectralRadius, weight: 0.1, target: 1, rule: AdaptiveTargetRule(rate: 0.1))
  penalty.adapt(chi1: 0.5)
  #expect(penalty.target > 1)
  let raised = penalty.target
  penalty.adapt(chi1: 2)
  #expect(penalty.target < raised)
  var fixed = RecurrentSpectralPenalty(measure: .sigmaMax, weight: 0.1, target: 1)
  fixed.adapt(chi1: 0.5)
  #expect(fixed.target == 1)
}

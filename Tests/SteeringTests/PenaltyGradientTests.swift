import Autodiff
import CritTestSupport
import Spectral
import Steering
import Tensors
import Testing

/// ∂σ/∂W = u vᵀ against central differences (relative error < 1e-6). The power iteration
/// runs to 1e-13 so that its own error stays below the finite-difference step's effect.
@Test func topSingularValueGradient() {
  let w = randomTensor([5, 4], seed: 1)
  var iteration = PowerIteration(tolerance: 1e-13, maximumIterations: 10_000)
  let result = checkGradients(at: [w]) { topSingularValue($0[0], iteration: &iteration) }
  #expect(result.relativeError < 1e-6, "\(result)")
}

@Test func spectralNormalizationGradient() {
  let w = randomTensor([4, 6], seed: 2)
  var iteration = PowerIteration(tolerance: 1e-13, maximumIterations: 10_000)
  let result = checkGradients(at: [w]) {
    weightedSum(spectrallyNormalized($0[0], iteration: &iteration))
  }
  #expect(result.relativeError < 1e-6, "\(result)")
}

@Test(arguments: [
  SpectralTargets.fixed(1), .layerwise([0.8, 1.2, 1.5]), .rgFlow(tau0: 1.5, ratio: 0.8),
])
func penaltyGradient(targets: SpectralTargets) {
  let ws = [
    randomTensor([5, 3], seed: 3), randomTensor([5, 5], seed: 4), randomTensor([2, 5], seed: 5),
  ]
  var penalty = SpectralPenalty(weight: 0.7, targets: targets, layers: 3, tolerance: 1e-13)
  let result = checkGradients(at: ws) { penalty($0).penalty }
  #expect(result.relativeError < 1e-6, "\(targets): \(result)")
}

/// The penalty's value is λ Σ (σ_l − τ_l)² with σ from LAPACK.
@Test func penaltyValue() throws {
  let ws = [randomTensor([5, 3], seed: 6), randomTensor([4, 5], seed: 7)]
  var penalty = SpectralPenalty(
    weight: 0.3, targets: .rgFlow(tau0: 2, ratio: 0.5), layers: 2, tolerance: 1e-12)
  let value = penalty(ws.map { Variable($0) }).penalty.value.scalar
  let s0 = try exactSigmaMax(ws[0])
  let s1 = try exactSigmaMax(ws[1])
  let expected = 0.3 * ((s0 - 2) * (s0 - 2) + (s1 - 1) * (s1 - 1))
  #expect(isApproximatelyEqual(value, expected, relative: 1e-9))
}

@Test func targetSchedules() {
  #expect(SpectralTargets.fixed(1.2).target(layer: 7) == 1.2)
  #expect(SpectralTargets.layerwise([0.5, 0.9]).target(layer: 0) == 0.5)
  #expect(SpectralTargets.layerwise([0.5, 0.9]).target(layer: 3) == 0.9)
  #expect(SpectralTargets.rgFlow(tau0: 2, ratio: 0.5).target(layer: 3) == 0.25)
}

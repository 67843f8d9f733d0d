import CritTestSupport
import Foundation
import NN
import Tensors
import Testing
import Theory

/// Mean-field λ_max = ½ ln χ₁ of a random tanh network, the values the literature's formula
/// gives, computed independently with mpmath at 40 digits (the quadrature of
/// `bench/meanfield_reference.py`): g = 0.5 → ln 0.5, 0.9 → ln 0.9 (q* = 0 below g = 1),
/// 1.5 → 0.0652172, 2 → 0.1547242, 3 → 0.3102493. (Values from NumPy's fixed-order
/// `hermegauss`, used here before, were 2.7·10⁻⁵ off at g = 3.)
@Test(arguments: [
  (0.5, -0.6931471805599454), (0.9, -0.10536051565782634), (1.5, 0.065217211912869146),
  (2.0, 0.15472422983137243), (3.0, 0.31024931514524731),
])
func meanFieldLyapunovOfTanhNetworks(gain: Double, expected: Double) {
  #expect(abs(meanFieldLyapunovExponent(activation: .tanh, gain: gain) - expected) < 1e-7)
}

/// λ_max of one simulated N = 1000 tanh network (3000 steps after 500 of transient) against
/// mean field: within 0.02 at g = 2 and 3, 0.03 at g = 1.5 (closer to the transition, where
/// finite-size effects grow), 0.05 at g = 0.5, and negative at g = 0.9.
@Test(arguments: [(2.0, 0.02), (3.0, 0.02), (1.5, 0.03), (0.5, 0.05)])
func simulatedLyapunovMatchesMeanField(gain: Double, tolerance: Double) {
  let simulated = simulatedLyapunovExponents(
    activation: .tanh, gain: gain, units: 1000, steps: 3000, transient: 500, seed: 1)[0]
  let theory = meanFieldLyapunovExponent(activation: .tanh, gain: gain)
  #expect(
    abs(simulated - theory) < tolerance, "g = \(gain): simulated \(simulated), theory \(theory)")
}

@Test func simulatedLyapunovIsNegativeBelowTheTransition() {
  let simulated = simulatedLyapunovExponents(
    activation: .tanh, gain: 0.9, units: 1000, steps: 3000, transient: 500, seed: 2)[0]
  #expect(simulated < 0, "\(simulated)")
}

/// For a linear network `h_{t+1} = A h_t` (identity activation, A = gW) with all N exponents,
/// their sum is `ln|det A|` per step exactly (the volume growth rate), whatever the
/// convergence of each one: checked against `Σ ln σ_i(A)` from LAPACK's SVD on the same W
/// (drawn first from the seed's stream), to 10⁻⁹.
@Test func qrMethodSumsToTheLogDeterminant() throws {
  let exponents = simulatedLyapunovExponents(
    activation: .identity, gain: 1.3, units: 6, steps: 4000, transient: 100, exponents: 6,
    seed: 5)
  #expect(exponents == exponents.sorted(by: >))
  var rng = SplittableRandom(seed: 5)
  let w = Tensor<Double>.randomNormal(
    [6, 6], standardDeviation: 1.3 / 6.0.squareRoot(), using: &rng)
  let logDeterminant = try singularValues(of: w).map { Foundation.log($0) }.reduce(0, +)
  #expect(abs(exponents.reduce(0, +) - logDeterminant) < 1e-9)
}

/// Driven by independent noise ξ ~ N(0, 0.1²) per unit and step, an N = 1000 tanh network's
/// λ_max matches the mean field with the noise variance in the length map
/// (Molgedey, Schuchhardt & Schuster 1992) within 0.02 at g = 2 and 3.
@Test(arguments: [2.0, 3.0])
func drivenLyapunovMatchesMeanField(gain: Double) {
  let sweep = LyapunovSweepFixture(gain: gain)
  #expect(
    abs(sweep.simulated - sweep.theory) < 0.02,
    "g = \(gain): simulated \(sweep.simulated), theory \(sweep.theory)")
}

/// λ_max changes sign between g = 0.9 and g = 1.5, undriven and driven (N = 1000).
@Test(arguments: [false, true])
func lyapunovChangesSignBetweenPointNineAndOnePointFive(driven: Bool) {
  let below = LyapunovSweepFixture(gain: 0.9, driven: driven).simulated
  let above = LyapunovSweepFixture(gain: 1.5, driven: driven).simulated
  #expect(below < 0 && above > 0, "λ(0.9) = \(below), λ(1.5) = \(above)")
}

/// One simulated network, driven by N(0, 0.1²) noise or not, beside its mean-field value.
struct LyapunovSweepFixture {
  var simulated: Double
  var theory: Double
  init(gain: Double, driven: Bool = true, units: Int = 1000) {
    let s = 0.1
    var noise = SplittableRandom(seed: 42)
    simulated =
      simulatedLyapunovExponents(
        activation: .tanh, gain: gain, units: units, steps: 3000, transient: 500, seed: 3,
        drive: driven ? { _ in (0..<units).map { _ in s * noise.nextNormal() } } : nil)[0]
    theory = meanFieldLyapunovExponent(
      activation: .tanh, gain: gain, biasVariance: driven ? s * s : 0)
  }
}

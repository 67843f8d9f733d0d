import Autodiff
import CritTestSupport
import NN
import RealModule
import Steering
import Tensors
import Testing

// MARK: Adaptive targets

/// The documented directions: an ordered layer (χ₁ < 1) raises τ, a chaotic one (χ₁ > 1)
/// lowers it, many dead units raise it, a fractal boundary lowers every τ; a layer at χ₁ = 1
/// with no dead units and a smooth boundary keeps its τ.
@Test func adaptiveRuleMovesTargetsInTheDocumentedDirection() {
  let rule = AdaptiveTargetRule(rate: 0.1)
  let taus = [1.0, 1.0, 1.0, 1.0]
  let adapted = rule.adapted(
    taus, chi1: [0.5, 2.0, 1.0, 1.0], deadRate: [0, 0, 0.6, 0], boundaryDimension: 1.0)
  #expect(adapted[0] > 1)  // ordered → raise
  #expect(adapted[1] < 1)  // chaotic → lower
  #expect(adapted[2] > 1)  // dead units → raise
  #expect(adapted[3] == 1)  // at criticality → unchanged
  // The exact step: s = −ln χ₁ = ln 2 for χ₁ = 0.5, τ·e^{η s} = 2^{0.1}.
  #expect(isApproximatelyEqual(adapted[0], Double.pow(2, 0.1), relative: 1e-12))
  #expect(isApproximatelyEqual(adapted[1], Double.pow(2, -0.1), relative: 1e-12))
  // Dead rate 0.6 over d* = 0.1 with κ = 2: s = 1 (at the clamp).
  #expect(isApproximatelyEqual(adapted[2], Double.exp(0.1), relative: 1e-12))
  // A fractal boundary (D = 1.3 > D* = 1.05) lowers a layer that is otherwise critical.
  let rough = rule.adapted([1], chi1: [1], deadRate: [0], boundaryDimension: 1.3)
  #expect(isApproximatelyEqual(rough[0], Double.exp(-0.1 * 0.5), relative: 1e-12))
  // Missing indicators contribute nothing.
  #expect(rule.adapted([1.3], chi1: [nil], deadRate: [nil], boundaryDimension: nil) == [1.3])
}

/// Repeated adaptation stops at the clamps τ_min and τ_max.
@Test func adaptiveRuleStaysWithinItsBounds() {
  let rule = AdaptiveTargetRule(rate: 0.5, minimum: 0.25, maximum: 4)
  var up = [1.0]
  var down = [1.0]
  for _ in 0..<50 {
    up = rule.adapted(up, chi1: [0.01], deadRate: [0], boundaryDimension: nil)
    down = rule.adapted(down, chi1: [100], deadRate: [0], boundaryDimension: nil)
  }
  #expect(up == [4])
  #expect(down == [0.25])
}

// MARK: Critical learning rate

/// lr = base·(|σ̄ − 1| + ε)^−a, then clipped to [lr_min, lr_max].
@Test func criticalLearningRateFollowsItsFormulaAndClipping() {
  let rule = CriticalLearningRate(exponent: 0.5, epsilon: 0.1, minimum: 1e-4, maximum: 5e-3)
  // σ̄ = 3: 1e-3·2.1^−0.5 = 6.900655593423542e-4 (inside the bounds).
  #expect(
    isApproximatelyEqual(
      rule.learningRate(base: 1e-3, meanSigma: 3), 1e-3 / 2.1.squareRoot(), relative: 1e-12))
  // Symmetric in σ̄ − 1.
  #expect(
    isApproximatelyEqual(
      rule.learningRate(base: 1e-3, meanSigma: 0.5),
      rule.learningRate(base: 1e-3, meanSigma: 1.5), relative: 1e-12))
  // σ̄ = 1: 1e-3·0.1^−0.5 = 3.16e-3, inside; base 1e-2 would give 3.16e-2 → clipped to 5e-3.
  #expect(
    isApproximatelyEqual(
      rule.learningRate(base: 1e-3, meanSigma: 1), 1e-3 / 0.1.squareRoot(), relative: 1e-12))
  #expect(rule.learningRate(base: 1e-2, meanSigma: 1) == 5e-3)
  // Far from criticality the rate falls to the floor.
  #expect(rule.learningRate(base: 1e-3, meanSigma: 1000) == 1e-4)
  #expect(rule.learningRate(base: 1e-3, meanSigma: .nan) == 1e-4)
  // a = 0 switches the rule off.
  #expect(
    CriticalLearningRate(exponent: 0, minimum: 1e-6, maximum: 1).learningRate(
      base: 1e-3, meanSigma: 7) == 1e-3)
}

// MARK: Jacobian χ₁ penalty

/// A two-hidden-layer network's pre-activations from `x` and the weights.
func preActivations(_ x: Variable<Double>, _ w: [Variable<Double>], _ activation: Activation)
  -> [Variable<Double>]
{
  let z0 = linear(x, weight: w[0], bias: nil)
  let z1 = linear(activation(z0), weight: w[1], bias: nil)
  return [z0, z1]
}

/// The penalty's gradient against central differences with respect to the weights and the
/// inputs (so the path through z counts): exact for tanh, sigmoid, erf and identity, and for
/// ReLU away from kinks (inputs drawn away from zero pre-activations is not needed: the step
/// h = 10⁻⁶ crosses a kink with probability ~10⁻⁵ per unit).
@Test(arguments: [Activation.tanh, .sigmoid, .erf, .identity, .relu])
func jacobianPenaltyGradient(activation: Activation) {
  let x = randomTensor([6, 3], seed: 11)
  let w0 = randomTensor([5, 3], seed: 12, low: -1.2, high: 1.2)
  let w1 = randomTensor([4, 5], seed: 13, low: -1.2, high: 1.2)
  let result = checkGradients(at: [x, w0, w1]) { v in
    let zs = preActivations(v[0], [v[1], v[2]], activation)
    return jacobianChi1Penalty(
      preActivations: zs, weights: [v[1], v[2]], activation: activation, weight: 0.7
    ).penalty
  }
  #expect(result.relativeError < 1e-6, "\(activation): \(result)")
}

/// χ̂₁ equals the mean over inputs of ‖D W‖_F²/N computed by explicit loops with each
/// activation's own φ′ (so the differentiable φ′ formulas of tanh, sigmoid and erf are checked
/// against the scalar ones), and the penalty is λ Σ (χ̂₁ − 1)².
@Test(arguments: Activation.allCases)
func jacobianPenaltyValue(activation: Activation) {
  let x = randomTensor([7, 3], seed: 21)
  let w = [randomTensor([5, 3], seed: 22), randomTensor([4, 5], seed: 23)]
  let zs = preActivations(Variable(x), w.map { Variable($0) }, activation)
  let (penalty, chi1) = jacobianChi1Penalty(
    preActivations: zs, weights: w.map { Variable($0) }, activation: activation, weight: 0.3)
  var expectedPenalty = 0.0
  for l in 0..<2 {
    let z = zs[l].value
    var total = 0.0
    for b in 0..<z.rows {
      for i in 0..<z.columns {
        let d = activation.derivative(z[b, i])
        for j in 0..<w[l].columns { total += d * d * w[l][i, j] * w[l][i, j] }
      }
    }
    let expected = total / Double(z.rows * z.columns)
    #expect(isApproximatelyEqual(chi1[l], expected, relative: 1e-12), "\(activation)")
    expectedPenalty += 0.3 * (expected - 1) * (expected - 1)
  }
  #expect(isApproximatelyEqual(penalty.value.scalar, expectedPenalty, relative: 1e-12))
}

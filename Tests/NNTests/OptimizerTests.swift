import Autodiff
import CritTestSupport
import NN
import Tensors
import Testing

/// A parameter with a fixed gradient, for checking update rules by hand.
func parameter(_ values: [Double], gradient: [Double]) -> Variable<Double> {
  let p = Variable(Tensor(shape: [values.count], scalars: values), requiresGradient: true)
  p.grad = Tensor(shape: [gradient.count], scalars: gradient)
  return p
}

@Test func plainSGDStep() {
  let p = parameter([1, -2], gradient: [0.5, 4])
  SGD<Double>().update([("p", p)], learningRate: 0.1)
  #expect(p.value.scalars == [1 - 0.05, -2 - 0.4])
}

/// Heavy-ball momentum over two steps with gradients g₁, g₂:
/// v₁ = g₁, w₁ = w₀ − ηg₁;  v₂ = μg₁ + g₂, w₂ = w₁ − η(μg₁ + g₂).
@Test func momentumTwoSteps() {
  let p = parameter([1], gradient: [2])
  let sgd = SGD<Double>(momentum: 0.9)
  sgd.update([("p", p)], learningRate: 0.1)
  p.grad = Tensor(shape: [1], scalars: [-1])
  sgd.update([("p", p)], learningRate: 0.1)
  let expected = 1 - 0.1 * 2 - 0.1 * (0.9 * 2 - 1)
  #expect(isApproximatelyEqual(p.value.scalars[0], expected, absolute: 1e-15))
}

/// Adam's first step with bias correction moves each weight by η·g/(|g| + ε') — by almost
/// exactly η against the sign of its gradient (Kingma & Ba 2015, §2.1).
@Test func adamFirstStep() {
  let p = parameter([1, 1, 1], gradient: [3, -0.01, 1e-3])
  Adam<Double>().update([("p", p)], learningRate: 0.01)
  for (value, g) in zip(p.value.scalars, [3.0, -0.01, 1e-3]) {
    let expected = 1 - 0.01 * g / (abs(g) + 1e-8)
    #expect(isApproximatelyEqual(value, expected, absolute: 1e-14))
  }
}

/// AdamW shrinks weights by (1 − ηλ) before the Adam step; Adam adds λw to the gradient.
@Test func decoupledAndCoupledWeightDecay() {
  let p = parameter([2], gradient: [0])
  Adam<Double>(weightDecay: 0.1, decoupled: true).update([("p", p)], learningRate: 0.01)
  // Zero gradient: only the decay acts, m = v = 0, so the Adam part is 0.
  #expect(isApproximatelyEqual(p.value.scalars[0], 2 * (1 - 0.001), absolute: 1e-15))
  let q = parameter([2], gradient: [0])
  Adam<Double>(weightDecay: 0.1, decoupled: false).update([("q", q)], learningRate: 0.01)
  // Coupled: g = 0.2, first step moves by η·g/(|g| + ε).
  #expect(isApproximatelyEqual(q.value.scalars[0], 2 - 0.01 * 0.2 / (0.2 + 1e-8), absolute: 1e-15))
}

@Test func schedules() {
  let constant = LearningRateSchedule()
  #expect(constant.learningRate(epoch: 37, totalEpochs: 100, base: 0.1) == 0.1)
  let step = LearningRateSchedule(kind: .step, stepEpochs: 10, stepFactor: 0.5)
  #expect(step.learningRate(epoch: 9, totalEpochs: 100, base: 0.1) == 0.1)
  #expect(step.learningRate(epoch: 25, totalEpochs: 100, base: 0.1) == 0.025)
  let cosine = LearningRateSchedule(kind: .cosine, minimumLearningRate: 0.01)
  #expect(cosine.learningRate(epoch: 0, totalEpochs: 100, base: 0.1) == 0.1)
  // Half way: η_min + (η − η_min)/2.
  #expect(
    isApproximatelyEqual(
      cosine.learningRate(epoch: 50, totalEpochs: 100, base: 0.1), 0.055, absolute: 1e-15))
  let warm = LearningRateSchedule(kind: .cosine, warmupEpochs: 4)
  #expect(warm.learningRate(epoch: 0, totalEpochs: 104, base: 0.1) == 0.025)
  #expect(warm.learningRate(epoch: 3, totalEpochs: 104, base: 0.1) == 0.1)
  #expect(warm.learningRate(epoch: 4, totalEpochs: 104, base: 0.1) == 0.1)
  #expect(
    isApproximatelyEqual(
      warm.learningRate(epoch: 54, totalEpochs: 104, base: 0.1), 0.05, absolute: 1e-15))
}

/// Batch-norm running statistics follow r ← 0.9r + 0.1s with the unbiased batch variance.
@Test func batchNormRunningStatistics() {
  let norm = BatchNorm<Double>(features: 1)
  let x = Variable(Tensor<Double>(shape: [4, 1], scalars: [1, 2, 3, 6]))
  _ = norm(x, training: true)
  // mean 3, unbiased variance (4 + 1 + 0 + 9)/3 = 14/3
  #expect(isApproximatelyEqual(norm.runningMean.scalars[0], 0.3, absolute: 1e-15))
  #expect(
    isApproximatelyEqual(norm.runningVariance.scalars[0], 0.9 + 0.1 * 14 / 3, absolute: 1e-15))
}

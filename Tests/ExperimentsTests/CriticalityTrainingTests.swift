import Autodiff
import CritTestSupport
import Data
import Experiments
import Foundation
import Indicators
import NN
import Spectral
import Steering
import Tensors
import Testing

// MARK: FGSM and input noise

/// The input gradient of the mean loss, by back-propagation, against central differences
/// (h = 10⁻⁶ in double precision; relative error < 10⁻⁶ as in the other gradient checks), for
/// a classifier and a regression network with smooth activations.
@Test(arguments: [true, false])
func inputGradientPassesFiniteDifferences(classification: Bool) {
  var rng = SplittableRandom(seed: 5)
  let model = MLP<Double>(
    MLPConfiguration(widths: [3, 8, 8, classification ? 3 : 2], activation: .tanh), using: &rng)
  let x = randomTensor([6, 3], seed: 9)
  let targets: Dataset.Targets =
    classification
    ? .classes(labels: [0, 2, 1, 1, 0, 2], count: 3)
    : .values(Tensor<Float>(randomTensor([6, 2], seed: 10)))
  func loss(_ inputs: Tensor<Double>) -> Double {
    var unused = SplittableRandom(seed: 0)
    let output = model.detached().forward(Variable(inputs), training: false, using: &unused)
    switch targets {
    case .classes(let labels, _): return crossEntropy(logits: output, labels: labels).value.scalar
    case .values(let values):
      return meanSquaredError(output, Variable(Tensor<Double>(values))).value.scalar
    }
  }
  let analytic = inputGradient(model, inputs: x, targets: targets)
  var numeric = [Double]()
  let h = 1e-6
  for k in 0..<x.count {
    var plus = x.scalars
    var minus = x.scalars
    plus[k] += h
    minus[k] -= h
    numeric.append(
      (loss(Tensor(shape: x.shape, scalars: plus)) - loss(Tensor(shape: x.shape, scalars: minus)))
        / (2 * h))
  }
  let difference = zip(numeric, analytic.scalars).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
  let scale = max(
    numeric.map { $0 * $0 }.reduce(0, +), analytic.scalars.map { $0 * $0 }.reduce(0, +))
  #expect((difference / scale).squareRoot() < 1e-6)
}

/// On a trained moons classifier, FGSM accuracy falls monotonically in ε (non-increasing over
/// 0, 0.02, 0.05, 0.1, 0.2, 0.3), from the clean accuracy at ε = 0 to well below it; Gaussian
/// input noise of growing size does not help either.
@Test func fgsmAccuracyFallsMonotonicallyInEpsilon() throws {
  var configuration = TrainingConfiguration(epochs: 60, seed: 2)
  configuration.robustness = RobustnessOptions(
    noiseLevels: [0, 0.3], fgsmEpsilons: [0, 0.02, 0.05, 0.1, 0.2, 0.3])
  let (train, test) = try configuration.data.load()
  let result = Experiments.train(configuration, train: train, test: test)
  let robustness = try #require(result.robustness)
  let accuracies = robustness.fgsm.map { $0.accuracy! }
  #expect(accuracies[0] == result.metrics.last!.testAccuracy)  // ε = 0 is the clean test set
  for (a, b) in zip(accuracies, accuracies.dropFirst()) { #expect(b <= a, "\(accuracies)") }
  #expect(accuracies.last! < accuracies[0] - 0.1, "\(accuracies)")
  #expect(robustness.noise[0].accuracy == result.metrics.last!.testAccuracy)
  #expect(robustness.noise[1].accuracy! < robustness.noise[0].accuracy!)
  // The summary carries the outcomes.
  #expect(RunSummary(result).robustness == robustness)
}

// MARK: Critical learning rate and adaptive targets inside training

/// The first epoch's learning rate is base·(|σ̄ − 1| + ε)^−a with σ̄ the mean top singular
/// value of the initial hidden weights, computed here by LAPACK on a network rebuilt from the
/// seed's "init" stream (power iteration stops at a 10⁻² residual: σ within ~10⁻⁴ relative).
@Test func criticalLearningRateUsesTheMeanTopSingularValue() throws {
  var configuration = TrainingConfiguration(epochs: 2, seed: 4)
  configuration.data.count = 200
  let rule = CriticalLearningRate(exponent: 0.5, epsilon: 0.1, minimum: 1e-6, maximum: 1)
  configuration.criticalLearningRate = rule
  let (train, test) = try configuration.data.load()
  let result = Experiments.train(configuration, train: train, test: test)
  var initRNG = SplittableRandom(seed: 4).derived("init")
  let initial = MLP<Float>(
    configuration.model(inputs: train.inputDimension, outputs: train.outputDimension),
    using: &initRNG)
  let sigmas = try initial.layers.prefix(initial.depth).map {
    try fullSpectrum($0.weight.value)[0]
  }
  let meanSigma = sigmas.reduce(0, +) / Double(sigmas.count)
  let expected = rule.learningRate(base: configuration.learningRate, meanSigma: meanSigma)
  #expect(isApproximatelyEqual(result.metrics[0].learningRate, expected, relative: 1e-3))
  #expect(result.metrics[0].learningRate != configuration.learningRate)
}

/// Adaptive targets start at τ₀, change only at multiples of K, by the rule applied to the
/// indicators recorded at that epoch, and every epoch's targets are logged (metrics.csv
/// columns tau_l0 …).
@Test func adaptiveTargetsFollowTheRuleAtEveryKthEpoch() throws {
  var configuration = TrainingConfiguration(epochs: 9, seed: 1)
  configuration.data.count = 300
  let rule = AdaptiveTargetRule(rate: 0.2, every: 3)
  configuration.regularization = RegularizationConfiguration(
    kind: .spectralPenalty, weight: 0.1, targets: .adaptive(tau0: 1.5), adaptation: rule)
  let (train, test) = try configuration.data.load()
  let result = Experiments.train(configuration, train: train, test: test)
  var previous = [1.5, 1.5, 1.5]
  for row in result.metrics {
    let targets = try #require(row.targets)
    if row.epoch % 3 == 0 {
      let indicators = try #require(row.indicators)
      let hidden = indicators.layers.prefix(3)
      let expected = rule.adapted(
        previous, chi1: hidden.map(\.chi1), deadRate: hidden.map(\.deadRate),
        boundaryDimension: indicators.boundary?.dimension)
      #expect(targets == expected)
      #expect(targets != previous)
    } else {
      #expect(targets == previous)
    }
    previous = targets
  }
  let csv = RunDirectory.metricsCSV(result.metrics)
  #expect(csv.hasPrefix(RunDirectory.metricsHeader + ",tau_l0,tau_l1,tau_l2,"))
}

/// The Jacobian χ₁ penalty pulls every hidden layer's χ₁ toward 1: a deep tanh network started
/// in the chaotic phase (σ_w = 2, σ_w² = 4 > 1: χ₁ > 1 per layer) ends much closer to 1 with the penalty than
/// without it.
@Test func jacobianPenaltyPullsChi1TowardOne() throws {
  var configuration = TrainingConfiguration(
    hidden: [64, 64, 64, 64], activation: .tanh, initialization: .gaussian, sigmaW: 2,
    epochs: 40, seed: 3, indicators: IndicatorOptions(every: 40, boundaryResolution: 0))
  configuration.data.count = 400
  let (train, test) = try configuration.data.load()
  func distance(_ weight: Double?) -> Double {
    var c = configuration
    c.regularization.jacobianWeight = weight
    let result = Experiments.train(c, train: train, test: test)
    let layers = Array(result.metrics.last!.indicators!.layers.prefix(4))
    var total = 0.0
    for layer in layers { total += abs((layer.chi1 ?? .nan) - 1) }
    return total / 4
  }
  let plain = distance(nil)
  let penalised = distance(1)
  #expect(penalised < 0.5 * plain, "mean |χ₁ − 1|: \(penalised) with the penalty, \(plain) without")
}

/// The adapted targets reach the penalty: after `adapt(to:)` the penalty pulls toward the new
/// τ_l (a synthetic snapshot: χ₁ = 0.5 in every layer raises each τ by 2^η).
@Test func adaptationChangesThePenaltyTargets() throws {
  let steering = SpectralSteering(
    RegularizationConfiguration(
      kind: .spectralPenalty, weight: 0.1, targets: .adaptive(tau0: 1),
      adaptation: AdaptiveTargetRule(rate: 0.1)), hiddenLayers: 2)
  #expect(steering.penaltyTargets == .adaptive(tau0: 1))
  let layer = """
    {"deadRate": 0, "chi1": 0.5, "spectrum": {"sigmaMax": 1, "sigmaMin": 1, "frobeniusNorm": 1,
     "stableRank": 1, "effectiveRank": 1, "conditionNumber": 1, "rankSizeSlope": 0}}
    """
  let json = """
    {"layers": [\(layer), \(layer)], "sensitivityFiniteDifference": 0, "sensitivityJacobian": 0,
     "jacobianFrobenius": 0, "jacobianSingularMean": 0, "jacobianSingularSpread": 0,
     "depthGrowthExponent": 0, "boundaryEvaluations": 0}
    """
  let snapshot = try JSONDecoder.forRuns.decode(IndicatorSnapshot.self, from: Data(json.utf8))
  steering.adapt(to: snapshot)
  let raised = Foundation.pow(2, 0.1)
  #expect(steering.targets.allSatisfy { abs($0 - raised) < 1e-12 })
  #expect(steering.penaltyTargets == .layerwise(steering.targets))
}

/// Adaptive targets without the penalty would silently do nothing: refused, naming the key.
@Test func adaptiveTargetsNeedThePenalty() {
  var configuration = TrainingConfiguration()
  configuration.regularization = RegularizationConfiguration(
    kind: .none, targets: .adaptive(tau0: 1))
  #expect(throws: ConfigurationError.self) { try configuration.validate() }
  do {
    try configuration.validate()
  } catch let error as ConfigurationError {
    #expect(error.option == "regularization.kind")
  } catch {}
}

/// With `recordDynamics` a run measures its loss series and update sizes (one per step), and
/// every classification run reports NC1, which falls as training separates the classes.
@Test func dynamicsAndNeuralCollapseAreRecorded() throws {
  var configuration = TrainingConfiguration(epochs: 60, seed: 5)
  configuration.data.count = 400
  configuration.recordDynamics = true
  let (train, test) = try configuration.data.load()
  let result = Experiments.train(configuration, train: train, test: test)
  let dynamics = try #require(result.dynamics)
  #expect(dynamics.steps == 60 * 5)  // 320 training points in batches of 64
  #expect(dynamics.lossDFA.map { $0 > 0 && $0 < 2 } == true)
  #expect(dynamics.lossAutocorrelationTime.map { $0 >= 0.5 } == true)
  #expect(dynamics.updateSizeAlpha.map { $0 > 1 } == true)
  var short = configuration
  short.epochs = 2
  short.recordDynamics = nil
  let early = Experiments.train(short, train: train, test: test)
  #expect(early.dynamics == nil)
  let late = try #require(result.neuralCollapse)
  let start = try #require(early.neuralCollapse)
  #expect(late < start, "NC1 \(late) after 60 epochs, \(start) after 2")
}

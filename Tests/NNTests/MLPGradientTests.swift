import Autodiff
import CritTestSupport
import NN
import Tensors
import Testing

/// Whole-network gradient checks: the cross-entropy loss of a 3→5→4→3 MLP with respect to
/// every weight and bias, for each activation, in double precision (relative error < 1e-6).
/// Inputs are random; with seven inputs and nine hidden units the chance that a ReLU
/// pre-activation lies within h = 1e-6 of its kink is negligible (about 1e-5).
@Test(arguments: Activation.allCases)
func wholeMLPLossGradient(activation: Activation) {
  var rng = SplittableRandom(seed: 7)
  let model = MLP<Double>(
    MLPConfiguration(
      widths: [3, 5, 4, 3], activation: activation, initialization: .gaussian,
      sigmaW: 1.5, sigmaB: 0.3),
    using: &rng)
  let x = randomTensor([7, 3], seed: 8)
  let labels = [0, 2, 1, 1, 0, 2, 1]
  let result = checkGradients(of: model.parameters.map(\.variable)) {
    var unused = SplittableRandom(seed: 0)
    return crossEntropy(
      logits: model.forward(Variable(x), training: false, using: &unused), labels: labels)
  }
  #expect(result.relativeError < 1e-6, "\(activation.rawValue): \(result)")
}

/// The same check for a regression loss and each normalisation (batch norm in training mode).
@Test(arguments: NormalizationKind.allCases)
func wholeMLPRegressionGradient(normalization: NormalizationKind) {
  var rng = SplittableRandom(seed: 9)
  let model = MLP<Double>(
    MLPConfiguration(widths: [3, 6, 6, 2], activation: .tanh, normalization: normalization),
    using: &rng)
  let x = randomTensor([8, 3], seed: 10)
  let y = randomTensor([8, 2], seed: 11)
  let result = checkGradients(of: model.parameters.map(\.variable)) {
    var unused = SplittableRandom(seed: 0)
    return meanSquaredError(
      model.forward(Variable(x), training: normalization == .batch, using: &unused), Variable(y))
  }
  #expect(result.relativeError < 1e-6, "\(normalization.rawValue): \(result)")
}

import Autodiff
import CritTestSupport
import Data
import Indicators
import NN
import Tensors
import Testing

/// On a linear map the finite difference is exact: both sensitivity estimates agree to
/// rounding (relative 1e-9; in double precision with ε = 1e-3 the rounding is ~1e-13).
@Test func sensitivityEstimatesAgreeOnALinearMap() {
  var rng = SplittableRandom(seed: 1)
  let model = MLP<Float>(
    MLPConfiguration(widths: [2, 16, 16, 3], activation: .identity), using: &rng)
  let inputs = Tensor<Float>.randomNormal([50, 2], using: &rng)
  let snapshot = measureIndicators(
    of: model, on: inputs, options: IndicatorOptions(boundaryResolution: 0), seed: 2)
  #expect(
    isApproximatelyEqual(
      snapshot.sensitivityFiniteDifference, snapshot.sensitivityJacobian, relative: 1e-9),
    "\(snapshot.sensitivityFiniteDifference) vs \(snapshot.sensitivityJacobian)")
}

/// A trained ReLU MLP: the two sensitivity estimates within 1 % (ε = 1e-3 crosses few kinks).
@Test func sensitivityEstimatesAgreeOnATrainedNetwork() throws {
  let (train, _) = try DataConfiguration(count: 400).load()
  var rng = SplittableRandom(seed: 3)
  let model = MLP<Float>(MLPConfiguration(widths: [2, 64, 64, 2]), using: &rng)
  let optimizer = OptimizerConfiguration().make(for: Float.self)
  for _ in 0..<300 {
    let output = model.forward(Autodiff.Variable(train.inputs), training: true, using: &rng)
    let loss = Autodiff.crossEntropy(logits: output, labels: train.labels)
    loss.backward()
    optimizer.update(model.parameters, learningRate: 1e-2)
    model.zeroGradients()
  }
  let snapshot = measureIndicators(
    of: model, on: train.inputs, options: IndicatorOptions(boundaryResolution: 0), seed: 4)
  #expect(
    isApproximatelyEqual(
      snapshot.sensitivityFiniteDifference, snapshot.sensitivityJacobian, relative: 0.01),
    "\(snapshot.sensitivityFiniteDifference) vs \(snapshot.sensitivityJacobian)")
}

/// An orthogonal linear network (square layers, gain 1) is dynamically isometric: every
/// singular value of its input–output Jacobian is 1, and every layer's χ₁ is 1.
@Test func orthogonalLinearNetworkIsIsometric() {
  var rng = SplittableRandom(seed: 5)
  let model = MLP<Float>(
    MLPConfiguration(widths: [8, 8, 8, 8], activation: .identity, initialization: .orthogonal),
    using: &rng)
  let inputs = Tensor<Float>.randomNormal([20, 8], using: &rng)
  let snapshot = measureIndicators(
    of: model, on: inputs, options: IndicatorOptions(boundaryResolution: 0), seed: 6)
  // Float weights: orthogonality holds to ~1e-7 per entry.
  #expect(abs(snapshot.jacobianSingularMean - 1) < 1e-5)
  #expect(snapshot.jacobianSingularSpread < 1e-5)
  for layer in snapshot.layers.dropLast() {
    #expect(abs(layer.chi1! - 1) < 1e-5)
    #expect(abs(layer.spectrum.sigmaMax - 1) < 1e-5)
  }
}

/// χ₁ of a ReLU layer is (1/N)Σ_i 1[z_i > 0]·Σ_j W_ij²: checked on a layer whose units are
/// forced on or off by their biases (units 0–2 always on, 3–5 always off ⇒ dead rate 1/2).
@Test func deadRateAndChi1OfAConstructedLayer() {
  let w = Tensor<Float>(rows: [[1, 0], [0, 2], [1, 1], [1, 0], [0, 1], [2, 2]])
  let bias = Tensor<Float>(shape: [6], scalars: [10, 10, 10, -10, -10, -10])
  var rng = SplittableRandom(seed: 7)
  let model = MLP<Float>(MLPConfiguration(widths: [2, 6, 2]), using: &rng)
  model.layers[0].weight.value = w
  model.layers[0].bias!.value = bias
  let inputs = Tensor<Float>.randomUniform([30, 2], low: -1, high: 1, using: &rng)
  let snapshot = measureIndicators(
    of: model, on: inputs, options: IndicatorOptions(boundaryResolution: 0), seed: 8)
  #expect(snapshot.layers[0].deadRate == 0.5)
  // Live units: Σ_j W_ij² = 1, 4, 2; χ₁ = (1 + 4 + 2)/6.
  #expect(isApproximatelyEqual(snapshot.layers[0].chi1!, 7.0 / 6, absolute: 1e-12))
}

/// The adaptive boundary trace of a trained network equals the full-grid boundary.
@Test func trainedNetworkBoundaryTraceEqualsFullGrid() throws {
  let (train, _) = try DataConfiguration(count: 300, noise: 0.1).load()
  var rng = SplittableRandom(seed: 9)
  let model = MLP<Float>(MLPConfiguration(widths: [2, 32, 32, 2]), using: &rng)
  let optimizer = OptimizerConfiguration().make(for: Float.self)
  for _ in 0..<200 {
    let loss = Autodiff.crossEntropy(
      logits: model.forward(Autodiff.Variable(train.inputs), training: true, using: &rng),
      labels: train.labels)
    loss.backward()
    optimizer.update(model.parameters, learningRate: 1e-2)
    model.zeroGradients()
  }
  let network = model.converted(to: Double.self)
  let window = paddedWindow(of: train.inputs, resolution: 256)
  let full = DecisionMap.fullGrid(window: window) { classify(network, $0) }
  let adaptive = DecisionMap.adaptive(window: window) { classify(network, $0) }
  #expect(adaptive.boundary == full.boundary)
  #expect(adaptive.evaluations < full.evaluations / 3)
}

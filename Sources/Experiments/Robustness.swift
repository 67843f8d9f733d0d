import Autodiff
import Data
import NN
import Tensors

/// Which robustness outcomes to measure at the end of a run: test accuracy (classification)
/// or test loss (regression) with i.i.d. Gaussian noise of each standard deviation added to
/// every input coordinate, and under the fast gradient sign method (Goodfellow et al. 2015,
/// arXiv:1412.6572) at each ε: `x' = x + ε·sign(∇_x L(f(x), y))`, the gradient taken by
/// reverse-mode autodiff through the trained network. Both are in the inputs' own units.
public struct RobustnessOptions: Codable, Sendable, Hashable {
  public var noiseLevels: [Double]
  public var fgsmEpsilons: [Double]

  public init(
    noiseLevels: [Double] = [0.05, 0.1, 0.2], fgsmEpsilons: [Double] = [0.01, 0.05, 0.1]
  ) {
    self.noiseLevels = noiseLevels
    self.fgsmEpsilons = fgsmEpsilons
  }
}

/// Accuracy (or loss) at one perturbation strength.
public struct PerturbedOutcome: Codable, Sendable, Equatable {
  /// The noise standard deviation or FGSM ε.
  public var strength: Double
  public var loss: Double
  /// `nil` for regression.
  public var accuracy: Double?
}

/// A run's robustness outcomes on its test set.
public struct RobustnessResult: Codable, Sendable, Equatable {
  public var noise: [PerturbedOutcome]
  public var fgsm: [PerturbedOutcome]
}

/// `∇_x L(f(x), y)` of the mean loss (cross-entropy or mean squared error) with respect to
/// the inputs, by back-propagation through a constant copy of `model` (evaluation mode).
public func inputGradient<S: TensorScalar>(
  _ model: MLP<S>, inputs: Tensor<S>, targets: Dataset.Targets
) -> Tensor<S> {
  let x = Variable(inputs, requiresGradient: true)
  var unused = SplittableRandom(seed: 0)
  let output = model.detached().forward(x, training: false, using: &unused)
  perturbationLoss(output, targets).backward()
  return x.grad ?? Tensor.zeros(inputs.shape)
}

func perturbationLoss<S: TensorScalar>(_ output: Variable<S>, _ targets: Dataset.Targets)
  -> Variable<S>
{
  switch targets {
  case .classes(let labels, _): return crossEntropy(logits: output, labels: labels)
  case .values(let values): return meanSquaredError(output, Variable(Tensor<S>(values)))
  }
}

/// FGSM inputs `x + ε·sign(∇_x L)` (a zero gradient component moves nothing).
public func fgsmInputs<S: TensorScalar>(
  _ model: MLP<S>, inputs: Tensor<S>, targets: Dataset.Targets, epsilon: Double
) -> Tensor<S> {
  let gradient = inputGradient(model, inputs: inputs, targets: targets)
  let step = S(epsilon)
  return Tensor(
    shape: inputs.shape,
    scalars: zip(inputs.scalars, gradient.scalars).map { x, g in
      g > 0 ? x + step : g < 0 ? x - step : x
    })
}

/// Measures every outcome `options` asks for on `test`. Noise draws come from `random`.
public func measureRobustness(
  _ model: MLP<Float>, on test: Dataset, options: RobustnessOptions,
  using random: inout SplittableRandom
) -> RobustnessResult {
  func outcome(_ strength: Double, _ inputs: Tensor<Float>) -> PerturbedOutcome {
    let result = evaluate(model, on: Dataset(inputs: inputs, targets: test.targets))
    return PerturbedOutcome(strength: strength, loss: result.loss, accuracy: result.accuracy)
  }
  let noise = options.noiseLevels.map { sigma in
    let scale = Float(sigma)
    let noisy = Tensor(
      shape: test.inputs.shape,
      scalars: test.inputs.scalars.map { $0 + scale * Float(random.nextNormal()) })
    return outcome(sigma, noisy)
  }
  let fgsm = options.fgsmEpsilons.map { epsilon in
    outcome(
      epsilon, fgsmInputs(model, inputs: test.inputs, targets: test.targets, epsilon: epsilon))
  }
  return RobustnessResult(noise: noise, fgsm: fgsm)
}

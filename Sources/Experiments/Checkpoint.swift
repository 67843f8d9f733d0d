import Data
import NN
import Tensors

/// Rebuilds the trained network of a run from its configuration and final parameters.
public func restoreModel(_ result: TrainingResult) -> MLP<Float> {
  let first = result.state["layers.0.weight"]!
  let last = result.state["layers.\(result.configuration.hidden.count).weight"]!
  var rng = SplittableRandom(seed: 0)
  let model = MLP<Float>(
    result.configuration.model(inputs: first.shape[1], outputs: last.shape[0]), using: &rng)
  for (name, parameter) in model.parameters {
    if let value = result.state[name] { parameter.value = value }
  }
  return model
}

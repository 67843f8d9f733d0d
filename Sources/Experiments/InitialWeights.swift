import Foundation
import NN
import Tensors

/// Starting weights for a training run (`crit train --init-from`): a `.safetensors` checkpoint,
/// either crit's own (its parameter names, `layers.L.weight`, `layers.L.bias`, `norms.L.…`) or
/// a PyTorch MLP state dict. PyTorch names follow the module tree (`0.weight` and `2.weight` of
/// an `nn.Sequential` with activations between, `fc1.weight`, `net.3.bias`, …); its linear
/// layers are taken in the order of the numbers in their names (then by name) and matched to
/// the network's layers one to one, each weight `(out, in)` — PyTorch's layout and crit's —
/// with its bias. Every tensor must have the shape its layer needs; an error names the tensor,
/// its shape and the one expected. Values are converted to single precision.
public func initialWeights(
  path: String, for configuration: TrainingConfiguration, inputs: Int, outputs: Int
) throws -> [String: Tensor<Float>] {
  var rng = SplittableRandom(seed: 0)
  let network = MLP<Float>(configuration.model(inputs: inputs, outputs: outputs), using: &rng)
  let expected = network.parameters.map { (name: $0.name, shape: $0.variable.value.shape) }
  let stored = try SafeTensors.read(path: path)
  let byName = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
  func shape(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
  func tensor(_ t: StoredTensor, as name: String, _ needed: [Int]) throws -> Tensor<Float> {
    guard t.shape == needed else {
      throw SafeTensorsError(
        description:
          "\(path): tensor \(t.name) has shape \(shape(t.shape)); \(name) of the network needs "
          + shape(needed))
    }
    return Tensor(shape: t.shape, scalars: t.values.map(Float.init))
  }
  // crit's own names: every parameter present under its name.
  if expected.allSatisfy({ byName[$0.name] != nil }) {
    var state: [String: Tensor<Float>] = [:]
    for p in expected { state[p.name] = try tensor(byName[p.name]!, as: p.name, p.shape) }
    return state
  }
  // A PyTorch state dict: its 2-D `.weight` tensors in natural order are the linear layers.
  let linear = network.layers.count
  if let missing = expected.first(where: { !$0.name.hasPrefix("layers.") }) {
    throw SafeTensorsError(
      description:
        "\(path): no tensor \(missing.name); a network with normalisation layers starts only from "
        + "a checkpoint with crit's parameter names")
  }
  let weights = stored.filter { $0.name.hasSuffix("weight") && $0.shape.count == 2 }
    .sorted { naturalOrder($0.name, $1.name) }
  guard weights.count == linear else {
    throw SafeTensorsError(
      description:
        "\(path): \(weights.count) two-dimensional weight tensor(s) "
        + "(\(weights.map(\.name).joined(separator: ", "))); the network has \(linear) linear layers "
        + "(\(expected.filter { $0.name.hasSuffix(".weight") }.map { shape($0.shape) }.joined(separator: ", ")))"
    )
  }
  var state: [String: Tensor<Float>] = [:]
  for (l, w) in weights.enumerated() {
    let name = "layers.\(l).weight"
    state[name] = try tensor(w, as: name, network.layers[l].weight.value.shape)
    let biasName = String(w.name.dropLast("weight".count)) + "bias"
    if let needed = network.layers[l].bias?.value.shape {
      guard let b = byName[biasName] else {
        throw SafeTensorsError(
          description: "\(path): no tensor \(biasName) for the bias of layer \(l)")
      }
      state["layers.\(l).bias"] = try tensor(b, as: "layers.\(l).bias", needed)
    } else if byName[biasName] != nil {
      throw SafeTensorsError(
        description:
          "\(path): tensor \(biasName) is a bias, but the network's layers have none (bias: false)")
    }
  }
  return state
}

/// `a` before `b` comparing runs of digits as numbers (`2.weight` before `10.weight`).
func naturalOrder(_ a: String, _ b: String) -> Bool {
  func parts(_ s: String) -> [(Int?, String)] {
    var result: [(Int?, String)] = []
    var current = ""
    var digits = false
    for c in s {
      if c.isNumber != digits, !current.isEmpty {
        result.append((digits ? Int(current) : nil, current))
        current = ""
      }
      digits = c.isNumber
      current.append(c)
    }
    if !current.isEmpty { result.append((digits ? Int(current) : nil, current)) }
    return result
  }
  for (x, y) in zip(parts(a), parts(b)) {
    if let i = x.0, let j = y.0, i != j { return i < j }
    if x.1 != y.1 { return x.1 < y.1 }
  }
  return a.count < b.count
}

import Autodiff
import Tensors

/// The architecture of a multilayer perceptron: layer widths from input to output, the
/// hidden nonlinearity, the initialisation and the optional hidden-layer extras.
public struct MLPConfiguration: Codable, Sendable, Hashable {
  /// Widths from input to output, e.g. `[2, 64, 64, 64, 2]`.
  public var widths: [Int]
  public var activation: Activation
  public var initialization: Initialization
  /// Weight scale σ_w of the `gaussian` (variance σ_w²/fan_in) and `orthogonal` (gain) schemes.
  public var sigmaW: Double
  /// Bias standard deviation σ_b of the `gaussian` and `orthogonal` schemes.
  public var sigmaB: Double
  public var bias: Bool
  /// Normalisation after each hidden affine layer, before the nonlinearity.
  public var normalization: NormalizationKind
  /// Dropout rate after each hidden nonlinearity (0 disables it).
  public var dropout: Double

  public init(
    widths: [Int], activation: Activation = .relu, initialization: Initialization = .he,
    sigmaW: Double = 1, sigmaB: Double = 0, bias: Bool = true,
    normalization: NormalizationKind = .none, dropout: Double = 0
  ) {
    self.widths = widths
    self.activation = activation
    self.initialization = initialization
    self.sigmaW = sigmaW
    self.sigmaB = sigmaB
    self.bias = bias
    self.normalization = normalization
    self.dropout = dropout
  }
}

/// A multilayer perceptron `h_{l+1} = φ(norm(h_l W_lᵀ + b_l))` for the hidden layers and a
/// linear readout `ŷ = h_L W_Lᵀ + b_L` (logits for classification).
public struct MLP<Scalar: TensorScalar>: Module {
  public let configuration: MLPConfiguration
  /// The affine layers, input to output; the last is the readout.
  public let layers: [Linear<Scalar>]
  let batchNorms: [BatchNorm<Scalar>]
  let layerNorms: [LayerNorm<Scalar>]

  /// A network initialised from `rng`.
  public init(_ configuration: MLPConfiguration, using rng: inout some RandomNumberGenerator) {
    precondition(configuration.widths.count >= 2, "an MLP needs at least input and output widths")
    precondition(configuration.widths.allSatisfy { $0 > 0 }, "widths must be positive")
    self.configuration = configuration
    let w = configuration.widths
    layers = (0..<(w.count - 1)).map { l in
      Linear(
        inputSize: w[l], outputSize: w[l + 1], initialization: configuration.initialization,
        sigmaW: configuration.sigmaW, sigmaB: configuration.sigmaB, hasBias: configuration.bias,
        using: &rng)
    }
    let hidden = w.dropFirst().dropLast()
    batchNorms =
      configuration.normalization == .batch ? hidden.map { BatchNorm(features: $0) } : []
    layerNorms =
      configuration.normalization == .layer ? hidden.map { LayerNorm(features: $0) } : []
    parameters = Self.collectParameters(
      layers: layers, batchNorms: batchNorms, layerNorms: layerNorms)
  }

  /// Number of hidden layers.
  public var depth: Int { layers.count - 1 }

  /// Output for a batch `(batch, inputSize)`. In training mode dropout draws from `rng` and
  /// batch norm uses (and updates) batch statistics.
  @inlinable
  public func forward(
    _ x: Variable<Scalar>, training: Bool, using rng: inout SplittableRandom,
    transformWeight: ((Int, Variable<Scalar>) -> Variable<Scalar>)? = nil,
    recordHidden: (
      (_ layer: Int, _ preActivation: Variable<Scalar>, _ activation: Variable<Scalar>) -> Void
    )? = nil
  ) -> Variable<Scalar> {
    var h = x
    for l in 0..<depth {
      h = hiddenPreActivation(l, affine(l, h, transformWeight), training: training)
      let z = h
      h = configuration.activation(h)
      recordHidden?(l, z, h)
      if configuration.dropout > 0 {
        h = dropout(h, rate: configuration.dropout, training: training, using: &rng)
      }
    }
    return affine(depth, h, transformWeight)
  }

  /// Layer `l`'s affine map, with its weight optionally replaced by `transform(l, W)`
  /// (spectral normalisation reparameterises weights this way).
  @inlinable
  func affine(
    _ l: Int, _ h: Variable<Scalar>, _ transform: ((Int, Variable<Scalar>) -> Variable<Scalar>)?
  ) -> Variable<Scalar> {
    guard let transform else { return layers[l](h) }
    return linear(h, weight: transform(l, layers[l].weight), bias: layers[l].bias)
  }

  @usableFromInline
  func hiddenPreActivation(_ l: Int, _ z: Variable<Scalar>, training: Bool) -> Variable<Scalar> {
    switch configuration.normalization {
    case .none: return z
    case .batch: return batchNorms[l](z, training: training)
    case .layer: return layerNorms[l](z)
    }
  }

  /// Output in evaluation mode for a batch of inputs. Runs on a ``detached()`` view, so no
  /// graph is recorded and no activation is kept alive.
  public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
    var unused = SplittableRandom(seed: 0)
    return detached().forward(Variable(x), training: false, using: &unused).value
  }

  /// The same network with every parameter a constant (shared storage, no copy): operations
  /// on it record nothing for back-propagation.
  public func detached() -> MLP {
    MLP(
      configuration: configuration,
      layers: layers.map {
        Linear(weight: $0.weight.value, bias: $0.bias?.value, trainable: false)
      },
      batchNorms: batchNorms.map { $0.detached() },
      layerNorms: layerNorms.map { $0.detached() })
  }

  /// A detached copy that computes with `weights[l]` in place of layer `l`'s weight (biases and
  /// normalisation layers shared): the network a reparameterised model (spectral
  /// normalisation) actually computes, for evaluation, indicators and checkpoints.
  public func replacingWeights(_ weights: [Tensor<Scalar>]) -> MLP {
    precondition(
      weights.count == layers.count, "\(weights.count) weights for \(layers.count) layers")
    return MLP(
      configuration: configuration,
      layers: zip(layers, weights).map { layer, w in
        precondition(w.shape == layer.weight.shape, "weight \(w.shape) for \(layer.weight.shape)")
        return Linear(weight: w, bias: layer.bias?.value, trainable: false)
      },
      batchNorms: batchNorms.map { $0.detached() },
      layerNorms: layerNorms.map { $0.detached() })
  }

  init(
    configuration: MLPConfiguration, layers: [Linear<Scalar>], batchNorms: [BatchNorm<Scalar>],
    layerNorms: [LayerNorm<Scalar>]
  ) {
    self.configuration = configuration
    self.layers = layers
    self.batchNorms = batchNorms
    self.layerNorms = layerNorms
    parameters = Self.collectParameters(
      layers: layers, batchNorms: batchNorms, layerNorms: layerNorms)
  }

  /// Pre-activation (after any normalisation) and post-activation of every hidden layer in
  /// evaluation mode, input to output.
  public func hiddenTrace(_ x: Tensor<Scalar>) -> [(
    preActivation: Tensor<Scalar>, activation: Tensor<Scalar>
  )] {
    tracedForward(x).trace
  }

  /// ``hiddenTrace(_:)`` and the network's output from the same pass (equal to `self(x)`), on
  /// the detached network, so nothing is recorded for back-propagation.
  public func tracedForward(_ x: Tensor<Scalar>) -> (
    trace: [(preActivation: Tensor<Scalar>, activation: Tensor<Scalar>)], output: Tensor<Scalar>
  ) {
    var unused = SplittableRandom(seed: 0)
    var trace: [(preActivation: Tensor<Scalar>, activation: Tensor<Scalar>)] = []
    let output = detached().forward(
      Variable(x), training: false, using: &unused,
      recordHidden: { _, z, h in trace.append((z.value, h.value)) })
    return (trace, output.value)
  }

  /// The same network in another precision (parameters and running statistics converted).
  public func converted<Other: TensorScalar>(to _: Other.Type) -> MLP<Other> {
    // The layers converted directly (drawing a fresh initialisation to overwrite it cost as
    // much as a forward pass); the normalisations start fresh and take the values below.
    let copy = MLP<Other>(
      configuration: configuration,
      layers: layers.map { layer in
        Linear(
          weight: Tensor<Other>(layer.weight.value),
          bias: layer.bias.map { Tensor<Other>($0.value) })
      },
      batchNorms: batchNorms.map { BatchNorm<Other>(features: $0.gamma.value.count) },
      layerNorms: layerNorms.map { LayerNorm<Other>(features: $0.gamma.value.count) })
    for ((_, target), (_, source)) in zip(copy.parameters, parameters) {
      target.value = Tensor<Other>(source.value)
    }
    for (target, source) in zip(copy.batchNorms, batchNorms) {
      target.setRunningStatistics(
        mean: Tensor<Other>(source.runningMean), variance: Tensor<Other>(source.runningVariance))
    }
    return copy
  }

  /// Every parameter by dotted name (`layers.0.weight`, `norms.0.gamma`), built once.
  public let parameters: [(name: String, variable: Variable<Scalar>)]

  static func collectParameters(
    layers: [Linear<Scalar>], batchNorms: [BatchNorm<Scalar>], layerNorms: [LayerNorm<Scalar>]
  ) -> [(name: String, variable: Variable<Scalar>)] {
    var list: [(name: String, variable: Variable<Scalar>)] = []
    for (l, layer) in layers.enumerated() {
      list += layer.parameters.map { ("layers.\(l).\($0.name)", $0.variable) }
    }
    for (l, norm) in batchNorms.enumerated() {
      list += norm.parameters.map { ("norms.\(l).\($0.name)", $0.variable) }
    }
    for (l, norm) in layerNorms.enumerated() {
      list += norm.parameters.map { ("norms.\(l).\($0.name)", $0.variable) }
    }
    return list
  }
}

import Autodiff
import Tensors

/// Which parts a transformer block has: the switches of the rank-collapse experiment (Dong,
/// Cordonnier & Loukas 2021: pure attention loses rank doubly exponentially with depth;
/// residual connections and MLPs counteract it).
public struct TransformerBlockParts: Codable, Sendable, Equatable, Hashable {
  public var residual: Bool
  public var layerNorm: Bool
  public var mlp: Bool

  public init(residual: Bool = true, layerNorm: Bool = true, mlp: Bool = true) {
    self.residual = residual
    self.layerNorm = layerNorm
    self.mlp = mlp
  }

  /// Attention alone: no residual, no LayerNorm, no MLP.
  public static let pureAttention = TransformerBlockParts(
    residual: false, layerNorm: false, mlp: false)
}

/// A pre-LN transformer block (Xiong et al. 2020) on (B·L, D) token representations:
///
///     X′ = X + Attention(LN₁(X)),   Y = X′ + MLP(LN₂(X′)),   MLP(u) = W₂ GELU(W₁u + b₁) + b₂,
///
/// with W₁ of shape (4D, D). Switching a part off removes it: without `residual` the sums lose
/// their first term (X′ = Attention(LN₁(X))), without `layerNorm` LN is the identity, without
/// `mlp` Y = X′. LayerNorm gains start at 1 and shifts at 0; the MLP's weights are N(0, 2/fan-in)
/// (He), its biases 0.
public struct TransformerBlock<Scalar: TensorScalar>: Module {
  public let attention: MultiHeadSelfAttention<Scalar>
  public let norm1: (gain: Variable<Scalar>, shift: Variable<Scalar>)
  public let norm2: (gain: Variable<Scalar>, shift: Variable<Scalar>)
  public let hidden: Linear<Scalar>
  public let projection: Linear<Scalar>
  public let parts: TransformerBlockParts

  public init(
    width: Int, heads: Int, parts: TransformerBlockParts = TransformerBlockParts(),
    attentionSigma: Double = 1, using rng: inout SplittableRandom
  ) {
    attention = MultiHeadSelfAttention(
      width: width, heads: heads, sigma: attentionSigma, using: &rng)
    func norm() -> (Variable<Scalar>, Variable<Scalar>) {
      (
        Variable(Tensor(repeating: 1, shape: [width]), requiresGradient: true),
        Variable(Tensor.zeros([width]), requiresGradient: true)
      )
    }
    norm1 = norm()
    norm2 = norm()
    func dense(_ inputs: Int, _ outputs: Int) -> Linear<Scalar> {
      let scale = (2 / Double(inputs)).squareRoot()
      return Linear(
        weight: Tensor(shape: [outputs, inputs]) { _ in Scalar(scale * rng.nextNormal()) },
        bias: Tensor.zeros([outputs]))
    }
    hidden = dense(width, 4 * width)
    projection = dense(4 * width, width)
    self.parts = parts
  }

  public var width: Int { attention.width }

  /// Y, and the attention maps of each head (batch, L, L). `view` maps each weight matrix
  /// (named as in ``parameters`` after `prefix`) to the one the pass uses.
  public func callAsFunction(
    _ x: Variable<Scalar>, batch: Int, length: Int, causal: Bool = false,
    view: WeightView<Scalar> = { $1 }, prefix: String = ""
  ) -> (output: Variable<Scalar>, maps: [Tensor<Scalar>]) {
    func normalised(_ u: Variable<Scalar>, _ n: (gain: Variable<Scalar>, shift: Variable<Scalar>))
      -> Variable<Scalar>
    {
      parts.layerNorm ? layerNorm(u, gamma: n.gain, beta: n.shift) : u
    }
    let (attended, maps) = attention(
      normalised(x, norm1), batch: batch, length: length, causal: causal, view: view,
      prefix: prefix + "attention.")
    let middle = parts.residual ? x + attended : attended
    guard parts.mlp else { return (middle, maps) }
    func dense(_ layer: Linear<Scalar>, _ name: String, _ u: Variable<Scalar>) -> Variable<Scalar> {
      linear(u, weight: view(prefix + name + ".weight", layer.weight), bias: layer.bias)
    }
    let mlp = dense(
      projection, "projection", gelu(dense(hidden, "hidden", normalised(middle, norm2))))
    return (parts.residual ? middle + mlp : mlp, maps)
  }

  /// The weight matrices a pass uses (attention's four, then the MLP's two when it has one),
  /// by name.
  public var weightMatrices: [(name: String, variable: Variable<Scalar>)] {
    var list = attention.parameters.map { ("attention.\($0.name)", $0.variable) }
    if parts.mlp {
      list += [("hidden.weight", hidden.weight), ("projection.weight", projection.weight)]
    }
    return list
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    var list = attention.parameters.map { ("attention.\($0.name)", $0.variable) }
    if parts.layerNorm { list += [("norm1.gain", norm1.gain), ("norm1.shift", norm1.shift)] }
    if parts.layerNorm && parts.mlp {
      list += [("norm2.gain", norm2.gain), ("norm2.shift", norm2.shift)]
    }
    if parts.mlp {
      list += hidden.parameters.map { ("hidden.\($0.name)", $0.variable) }
      list += projection.parameters.map { ("projection.\($0.name)", $0.variable) }
    }
    return list
  }
}

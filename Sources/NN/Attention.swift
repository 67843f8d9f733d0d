import Autodiff
import Tensors

/// The matrix a forward pass uses for a named weight: the weight itself, or a function of it
/// (a reparametrisation) through which gradients flow back to it.
public typealias WeightView<Scalar: TensorScalar> = (_ name: String, _ weight: Variable<Scalar>)
  -> Variable<Scalar>

/// Multi-head self-attention (Vaswani et al. 2017, "Attention is all you need") on the token
/// representations of B sequences of length L, stored as one matrix X of shape (B·L, D):
///
///     Q = X W_Qᵀ, K = X W_Kᵀ, V = X W_Vᵀ (each D × D, split into H heads of d_h = D/H columns),
///     A_h = softmax(Q_h K_hᵀ/√d_h) per sequence (optionally causal),
///     Y = [A_1 V_1, …, A_H V_H] W_Oᵀ.
///
/// No biases. Weights are drawn N(0, σ²/D) (σ = 1: the variance-preserving scale). Head h
/// uses rows h·d_h ..< (h+1)·d_h of W_Q, W_K, W_V, so the D × D matrix W_{Q,h}ᵀ W_{K,h} is the
/// head's bilinear form on tokens (score(x_i, x_j) = x_iᵀ W_{Q,h}ᵀ W_{K,h} x_j / √d_h).
public struct MultiHeadSelfAttention<Scalar: TensorScalar>: Module {
  public let query: Linear<Scalar>
  public let key: Linear<Scalar>
  public let value: Linear<Scalar>
  public let output: Linear<Scalar>
  public let heads: Int

  public init(width: Int, heads: Int, sigma: Double = 1, using rng: inout SplittableRandom) {
    precondition(heads > 0 && width % heads == 0, "width \(width) must split into \(heads) heads")
    func layer() -> Linear<Scalar> {
      let scale = sigma / Double(width).squareRoot()
      let w = Tensor<Scalar>(shape: [width, width]) { _ in Scalar(scale * rng.nextNormal()) }
      return Linear(weight: w, bias: nil)
    }
    query = layer()
    key = layer()
    value = layer()
    output = layer()
    self.heads = heads
  }

  public var width: Int { query.outputSize }
  public var headWidth: Int { width / heads }

  /// Y for X of shape (batch·length, D), with each head's attention map (batch, L, L). `view`
  /// maps each weight (named as in ``parameters``, after `prefix`) to the matrix the pass uses
  /// (the identity by default; a reparametrisation such as σReparam otherwise).
  public func callAsFunction(
    _ x: Variable<Scalar>, batch: Int, length: Int, causal: Bool = false,
    view: WeightView<Scalar> = { $1 }, prefix: String = ""
  ) -> (output: Variable<Scalar>, maps: [Tensor<Scalar>]) {
    precondition(x.shape == [batch * length, width], "attention input \(x.shape)")
    func project(_ layer: Linear<Scalar>, _ name: String, _ u: Variable<Scalar>) -> Variable<Scalar>
    {
      linear(u, weight: view(prefix + name + ".weight", layer.weight), bias: nil)
    }
    let (q, k, v) = (project(query, "query", x), project(key, "key", x), project(value, "value", x))
    let dh = headWidth
    let scale = 1 / Scalar(dh).squareRoot()
    var outputs: [Variable<Scalar>] = []
    var maps: [Tensor<Scalar>] = []
    for h in 0..<heads {
      let columns = (h * dh)..<((h + 1) * dh)
      func head(_ m: Variable<Scalar>) -> Variable<Scalar> {
        reshape(slice(m, alongAxis: 1, columns), [batch, length, dh])
      }
      let scores = batchedMatmul(head(q), head(k), transposeB: true) * scale
      let attention = softmax(scores, lastAxisCausal: causal)
      maps.append(attention.value)
      outputs.append(reshape(batchedMatmul(attention, head(v)), [batch * length, dh]))
    }
    let joined = heads == 1 ? outputs[0] : concatenate(outputs, alongAxis: 1)
    return (project(output, "output", joined), maps)
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    [
      ("query.weight", query.weight), ("key.weight", key.weight), ("value.weight", value.weight),
      ("output.weight", output.weight),
    ]
  }
}

import Autodiff
import Tensors

/// Affine layer `y = x·Wᵀ + b`, `W` of shape `(outputSize, inputSize)` (PyTorch's layout).
public struct Linear<Scalar: TensorScalar>: Module {
  public let weight: Variable<Scalar>
  /// `nil` for a layer without bias.
  public let bias: Variable<Scalar>?

  /// A layer with the given parameter values; `trainable: false` gives constants that record
  /// no gradient (an evaluation-only view).
  public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>?, trainable: Bool = true) {
    precondition(weight.rank == 2, "weight must be a matrix, got \(weight.shape)")
    self.weight = Variable(weight, requiresGradient: trainable)
    self.bias = bias.map { Variable($0, requiresGradient: trainable) }
  }

  /// A layer initialised by `scheme`.
  public init(
    inputSize: Int, outputSize: Int, initialization scheme: Initialization = .he,
    sigmaW: Double = 1, sigmaB: Double = 0, hasBias: Bool = true,
    using rng: inout some RandomNumberGenerator
  ) {
    let (w, b): (Tensor<Scalar>, Tensor<Scalar>) = scheme.sample(
      fanIn: inputSize, fanOut: outputSize, sigmaW: sigmaW, sigmaB: sigmaB, using: &rng)
    self.init(weight: w, bias: hasBias ? b : nil)
  }

  public var inputSize: Int { weight.shape[1] }
  public var outputSize: Int { weight.shape[0] }

  /// `x·Wᵀ + b` for `x` of shape `(batch, inputSize)`.
  @inlinable
  public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
    linear(x, weight: weight, bias: bias)
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    var list = [("weight", weight)]
    if let bias { list.append(("bias", bias)) }
    return list
  }
}

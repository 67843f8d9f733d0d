import Autodiff
import Tensors

/// Something with trainable parameters reachable by stable dotted names
/// (`"layers.0.weight"`) that optimizers, checkpoints and reports share.
public protocol Module {
  associatedtype Scalar: TensorScalar
  /// Every trainable parameter, in a fixed order.
  var parameters: [(name: String, variable: Variable<Scalar>)] { get }
}

extension Module {
  /// Clears every parameter's gradient.
  public func zeroGradients() {
    for (_, p) in parameters { p.zeroGradient() }
  }

  /// Total number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.variable.value.count } }

  /// A copy of every parameter's value, by name (a snapshot or checkpoint).
  public var state: [String: Tensor<Scalar>] {
    Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.variable.value) })
  }
}

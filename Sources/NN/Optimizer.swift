import Autodiff
import Tensors

/// A rule that updates parameters from their gradients. State (momenta, moment estimates)
/// is kept per parameter in the order of the parameter list, which must stay fixed.
/// Optimizers are classes: their state is updated in place, never copied.
public protocol Optimizer<Scalar>: AnyObject {
  associatedtype Scalar: TensorScalar
  /// Applies one update with the given learning rate; parameters without a gradient are skipped.
  func update(_ parameters: [(name: String, variable: Variable<Scalar>)], learningRate: Double)
}

/// One of the built-in optimizers. Dispatch is a `switch` over concrete types rather than an
/// existential, so that the update loops are specialized for the caller's scalar type.
public enum AnyOptimizer<Scalar: TensorScalar> {
  case sgd(SGD<Scalar>)
  case adam(Adam<Scalar>)

  @inlinable
  public func update(
    _ parameters: [(name: String, variable: Variable<Scalar>)], learningRate: Double
  ) {
    switch self {
    case .sgd(let optimizer): optimizer.update(parameters, learningRate: learningRate)
    case .adam(let optimizer): optimizer.update(parameters, learningRate: learningRate)
    }
  }
}

/// The optimizers `crit` offers by name.
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
  /// Plain stochastic gradient descent.
  case sgd
  /// SGD with heavy-ball momentum.
  case momentum
  /// Adam (Kingma & Ba 2015), weight decay added to the gradient (L2).
  case adam
  /// AdamW (Loshchilov & Hutter 2019), decoupled weight decay.
  case adamw
}

/// Hyperparameters shared by the optimizers (each reads the ones it uses).
public struct OptimizerConfiguration: Codable, Sendable, Hashable {
  public var kind: OptimizerKind
  public var momentum: Double
  public var beta1: Double
  public var beta2: Double
  public var epsilon: Double
  public var weightDecay: Double

  public init(
    kind: OptimizerKind = .adam, momentum: Double = 0.9, beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double? = nil
  ) {
    self.kind = kind
    self.momentum = momentum
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay ?? (kind == .adamw ? 0.01 : 0)
  }

  /// A fresh optimizer of this kind.
  public func make<S: TensorScalar>(for _: S.Type = S.self) -> AnyOptimizer<S> {
    switch kind {
    case .sgd: return .sgd(SGD<S>(momentum: 0, weightDecay: weightDecay))
    case .momentum: return .sgd(SGD<S>(momentum: momentum, weightDecay: weightDecay))
    case .adam:
      return .adam(
        Adam<S>(
          beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: false))
    case .adamw:
      return .adam(
        Adam<S>(
          beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: true))
    }
  }
}

import Autodiff
import Tensors

/// Which normalisation an MLP inserts after each hidden affine layer (before φ).
public enum NormalizationKind: String, CaseIterable, Codable, Sendable {
  case none
  /// Batch normalisation (Ioffe & Szegedy 2015).
  case batch
  /// Layer normalisation (Ba, Kiros & Hinton 2016).
  case layer
}

/// Batch normalisation over a `(batch, features)` matrix, with running statistics updated in
/// training mode as `r ← (1 − m)·r + m·s` (momentum `m = 0.1`; the running variance uses the
/// unbiased batch variance, as PyTorch does) and used in evaluation mode.
public final class BatchNorm<Scalar: TensorScalar>: Module {
  public let gamma: Variable<Scalar>
  public let beta: Variable<Scalar>
  public private(set) var runningMean: Tensor<Scalar>
  public private(set) var runningVariance: Tensor<Scalar>
  public let momentum: Scalar
  public let epsilon: Scalar

  public init(features: Int, momentum: Scalar = 0.1, epsilon: Scalar = 1e-5) {
    gamma = Variable(.ones([features]), requiresGradient: true)
    beta = Variable(.zeros([features]), requiresGradient: true)
    runningMean = .zeros([features])
    runningVariance = .ones([features])
    self.momentum = momentum
    self.epsilon = epsilon
  }

  init(copying other: BatchNorm, trainable: Bool) {
    gamma = Variable(other.gamma.value, requiresGradient: trainable)
    beta = Variable(other.beta.value, requiresGradient: trainable)
    runningMean = other.runningMean
    runningVariance = other.runningVariance
    momentum = other.momentum
    epsilon = other.epsilon
  }

  /// A constant copy for evaluation (parameters record no gradient).
  public func detached() -> BatchNorm { BatchNorm(copying: self, trainable: false) }

  /// Normalises with batch statistics (training) or running statistics (evaluation).
  public func callAsFunction(_ x: Variable<Scalar>, training: Bool) -> Variable<Scalar> {
    guard training else {
      return batchNormInference(
        x, gamma: gamma, beta: beta, runningMean: runningMean,
        runningVariance: runningVariance, epsilon: epsilon)
    }
    let r = batchNormTraining(x, gamma: gamma, beta: beta, epsilon: epsilon)
    let n = Scalar(x.shape[0])
    let unbiased = n > 1 ? r.batchVariance * (n / (n - 1)) : r.batchVariance
    runningMean = runningMean * (1 - momentum) + r.batchMean * momentum
    runningVariance = runningVariance * (1 - momentum) + unbiased * momentum
    return r.output
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    [("gamma", gamma), ("beta", beta)]
  }

  /// Replaces the running statistics (loading a checkpoint, converting precision).
  public func setRunningStatistics(mean: Tensor<Scalar>, variance: Tensor<Scalar>) {
    runningMean = mean
    runningVariance = variance
  }
}

/// Layer normalisation of each row of a `(batch, features)` matrix, with gain and shift.
public struct LayerNorm<Scalar: TensorScalar>: Module {
  public private(set) var gamma: Variable<Scalar>
  public private(set) var beta: Variable<Scalar>
  public let epsilon: Scalar

  public init(features: Int, epsilon: Scalar = 1e-5) {
    gamma = Variable(.ones([features]), requiresGradient: true)
    beta = Variable(.zeros([features]), requiresGradient: true)
    self.epsilon = epsilon
  }

  /// A constant copy for evaluation (parameters record no gradient).
  public func detached() -> LayerNorm {
    var copy = self
    copy.gamma = Variable(gamma.value)
    copy.beta = Variable(beta.value)
    return copy
  }

  public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> {
    layerNorm(x, gamma: gamma, beta: beta, epsilon: epsilon)
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    [("gamma", gamma), ("beta", beta)]
  }
}

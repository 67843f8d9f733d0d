import Autodiff
import Tensors

/// Stochastic gradient descent with optional heavy-ball momentum and L2 weight decay
/// (PyTorch's `torch.optim.SGD` convention):
/// ```
/// g ← ∇L + λ·w;   v ← μ·v + g;   w ← w − η·v      (μ = 0: w ← w − η·g)
/// ```
public final class SGD<Scalar: TensorScalar>: Optimizer {
  public let momentum: Double
  public let weightDecay: Double
  var velocities: [Tensor<Scalar>?] = []

  public init(momentum: Double = 0, weightDecay: Double = 0) {
    self.momentum = momentum
    self.weightDecay = weightDecay
  }

  public func update(
    _ parameters: [(name: String, variable: Variable<Scalar>)], learningRate: Double
  ) {
    if velocities.count != parameters.count {
      velocities = Array(repeating: nil, count: parameters.count)
    }
    let lr = Scalar(learningRate)
    let mu = Scalar(momentum)
    let decay = Scalar(weightDecay)
    for (index, (_, p)) in parameters.enumerated() {
      guard var g = p.grad else { continue }
      p.grad = nil  // g is now the only reference: adding to it does not copy
      if decay != 0 { g.add(p.value, scaledBy: decay) }
      if momentum != 0 {
        if var v = velocities[index] {
          velocities[index] = nil  // keep the buffer uniquely referenced while updating
          v.update(with: g) { mu * $0 + $1 }
          g = v
        }
        velocities[index] = g
      }
      p.value.add(g, scaledBy: -lr)
    }
  }
}

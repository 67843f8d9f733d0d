import Autodiff
import NN
import Tensors

/// Jacobian criticality (SPEC §4): the penalty `λ Σ_l (χ̂₁_l − 1)²` over the hidden layers,
/// pulling each layer's empirical χ₁ — the mean squared singular value of its Jacobian
/// `D_l W_l`, averaged over the batch — to 1, the mean-field edge of chaos (Poole et al. 2016;
/// Schoenholz et al. 2017). Per unit `i` of layer `l` with pre-activations `z_bi` on the batch,
///
///     χ̂₁_l = (1/(B·N_l)) Σ_b Σ_i φ'(z_bi)² Σ_j W_ij²,
///
/// the same quantity the indicators report as `chi1`. The gradient reaches `W_l` directly and
/// through `z` for tanh, sigmoid, erf and identity (φ' is built from differentiable operations);
/// for ReLU and leaky ReLU `φ'` is piecewise constant, so holding it fixed is exact almost
/// everywhere; for GELU `φ'` is held fixed within the step.
///
/// - Parameters:
///   - preActivations: `z_l`, shape `(batch, N_l)`, as recorded by the forward pass.
///   - weights: `W_l`, shape `(N_l, N_{l−1})`.
/// - Returns: the penalty node and each layer's χ̂₁.
public func jacobianChi1Penalty<S: TensorScalar>(
  preActivations: [Variable<S>], weights: [Variable<S>], activation: Activation, weight: Double
) -> (penalty: Variable<S>, chi1: [Double]) {
  precondition(preActivations.count == weights.count, "one pre-activation per weight")
  var total: Variable<S>? = nil
  var chi1: [Double] = []
  for (z, w) in zip(preActivations, weights) {
    let slope = activationSlope(z, activation)
    let rowNorms = sum(square(w), alongAxis: 1)
    let chi = mean(square(slope) * rowNorms)
    chi1.append(Double(chi.value.scalar))
    let term = square(chi + S(-1))
    total = total.map { $0 + term } ?? term
  }
  return ((total ?? Variable(Tensor(S(0)))) * S(weight), chi1)
}

/// `φ'(z)` as a node: differentiable where φ' is smooth, a constant where it is piecewise
/// constant (ReLU) or held fixed (GELU).
func activationSlope<S: TensorScalar>(_ z: Variable<S>, _ activation: Activation) -> Variable<S> {
  switch activation {
  case .tanh:
    return square(tanh(z)) * S(-1) + S(1)
  case .sigmoid:
    let s = sigmoid(z)
    return s + square(s) * S(-1)
  case .erf:
    return exp(square(z) * S(-1)) * S(2 / Double.pi.squareRoot())
  case .identity:
    return Variable(z.value.map { _ in S(1) })
  case .relu, .leakyRelu, .gelu:
    return Variable(z.value.map { S(activation.derivative(Double($0))) })
  }
}

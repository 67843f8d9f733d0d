import Autodiff
import Spectral
import Tensors

/// The top singular value `σ(W)` as a differentiable node.
///
/// Forward: power iteration, warm-started from `iteration`'s persisted vector. Pullback:
/// `∂σ/∂W = u vᵀ` for the top singular pair (exact when σ₁ is simple; Magnus 1985).
public func topSingularValue<S>(_ w: Variable<S>, iteration: inout PowerIteration)
  -> Variable<S>
{
  let triplet = iteration.estimate(w.value)
  return singularValueNode(w, sigma: triplet.sigma, u: triplet.u, v: triplet.v)
}

/// A singular value `σ` of `W` with its singular vectors `u`, `v`, as a node whose pullback
/// is `g · u vᵀ` (`∂σ/∂W` for a simple singular value; Magnus 1985). The vectors are held
/// constant: the derivative is exact at the singular pair and first-order near it.
func singularValueNode<S>(_ w: Variable<S>, sigma: Double, u: [Double], v: [Double])
  -> Variable<S>
{
  let (rows, columns) = (w.shape[0], w.shape[1])
  return Variable(Tensor(S(sigma)), inputs: [w]) { g in
    let scale = Double(g.scalar)
    return [
      Tensor(shape: [rows, columns], generating: { S(scale * u[$0 / columns] * v[$0 % columns]) })
    ]
  }
}

/// Spectral normalisation (Miyato et al. 2018): `W_SN = W / σ(W)`, with σ from the
/// persisted power iteration (one step per call in the original; here `iteration`'s own
/// tolerance, which after the first steps also means one or two steps). Gradients flow
/// through both `W` and `σ(W)`.
public func spectrallyNormalized<S>(_ w: Variable<S>, iteration: inout PowerIteration)
  -> Variable<S>
{
  w / topSingularValue(w, iteration: &iteration)
}

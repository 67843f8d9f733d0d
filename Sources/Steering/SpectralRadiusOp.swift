import Autodiff
import Tensors

/// The spectral radius `ρ(W) = max_i |λ_i(W)|` of a square matrix as a differentiable node.
///
/// Forward: LAPACK `dgeev` (in double precision). Pullback: for the dominant eigenvalue λ with
/// right and left eigenvectors `x`, `y`, `∂ρ/∂W = Re(conj(λ)/|λ| · conj(y) xᵀ / (yᴴx))`
/// (``DominantEigenpair/spectralRadiusGradient``); exact when no other eigenvalue has the same
/// modulus except λ's complex conjugate, which gives the same gradient.
///
/// For the recurrent matrix of an RNN, ρ governs the linearised autonomous dynamics
/// `h_{t+1} ≈ W h_t` (decay for ρ < 1), while σ_max bounds the one-step gain of every
/// direction (σ_max ≥ ρ, with equality for normal matrices).
public func spectralRadius<S>(_ w: Variable<S>) throws -> Variable<S> {
  let n = w.shape[0]
  precondition(w.shape == [n, n], "spectral radius needs a square matrix, got \(w.shape)")
  let pair = try dominantEigenpair(Tensor<Double>(w.value))
  let radius = pair.eigenvalue.modulus
  return Variable(Tensor(S(radius)), inputs: [w]) { g in
    let gradient = pair.spectralRadiusGradient
    let scale = Double(g.scalar)
    return [Tensor(shape: [n, n], generating: { S(scale * gradient[$0]) })]
  }
}

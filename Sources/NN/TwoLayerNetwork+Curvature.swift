import Tensors

extension TwoLayerNetwork {
  /// The top curvature of the loss ½Σ_μ(f(x_μ) − y_μ)² in each layer's directions, from the
  /// Gauss–Newton blocks J_ℓᵀJ_ℓ (J_ℓ: the P × n_ℓ Jacobian of the outputs with respect to
  /// layer ℓ's parameters), whose top eigenvalue equals that of the layer's share of the tangent
  /// kernel J_ℓJ_ℓᵀ:
  ///
  /// - hidden (W, b): λ_max of `(m_W² x_μ·x_ν + m_b²) Σ_j D_μj D_νj`, `D_μj = m_v v_j φ′(h_μj)`,
  ///   by `iterations` power iterations on JᵀJ from a start drawn from `seed` (one
  ///   forward and one backward product each; a lower bound that converges from below);
  /// - readout (v, c): λ_max of the (N + 1)² matrix `[m_v Φ, m_c 1]ᵀ[m_v Φ, m_c 1]`, exactly.
  ///
  /// A layer-wise step `s/λ_ℓ` keeps gradient descent stable in every direction of that layer
  /// (LeCun et al. 1998, "Efficient BackProp": a learning rate per layer from its Hessian).
  public func layerCurvatures(
    _ x: Tensor<Double>, iterations: Int = 30, seed: UInt64 = 0
  ) throws -> (hidden: Double, readout: Double) {
    let p = x.rows
    let h = preactivations(x)
    let m = multipliers
    let readoutStart = width * inputs + width
    var features = Tensor<Double>.zeros([p, width + 1])
    var slopes = Tensor<Double>.zeros([p, width])
    for row in 0..<p {
      for j in 0..<width {
        let z = h.scalars[row * width + j]
        features[row, j] = m.readout * activation.value(z)
        slopes[row, j] = m.readout * parameters[readoutStart + j] * activation.derivative(z)
      }
      features[row, width] = m.readoutBias
    }
    let readout = try symmetricEigenvalues(matmul(features, features, transposeA: true)).last ?? 0

    // Power iteration on JᵀJ over u = (U: N × d, u_b: N).
    var random = SplittableRandom(seed: seed)
    var u = Tensor<Double>.randomNormal([width, inputs], using: &random)
    var ub = (0..<width).map { _ in m.biases == 0 ? 0 : random.nextNormal() }
    var hidden = 0.0
    for _ in 0..<max(iterations, 1) {
      let norm = (u.scalars.reduce(0) { $0 + $1 * $1 } + ub.reduce(0) { $0 + $1 * $1 })
        .squareRoot()
      guard norm > 0, norm.isFinite else { return (0, readout) }
      // Ju: (Ju)_μ = Σ_j D_μj (m_W (XUᵀ)_μj + m_b u_bj), for u/‖u‖.
      let projected = matmul(x, u, transposeB: true)
      var weighted = Tensor<Double>.zeros([p, width])
      var squared = 0.0
      for row in 0..<p {
        var value = 0.0
        for j in 0..<width {
          value +=
            slopes.scalars[row * width + j]
            * (m.weights * projected.scalars[row * width + j] + m.biases * ub[j])
        }
        value /= norm
        squared += value * value
        for j in 0..<width { weighted[row, j] = slopes.scalars[row * width + j] * value }
      }
      hidden = squared
      // Jᵀ(Ju): U = m_W (D∘r)ᵀX, u_b = m_b Σ_μ (D∘r)_μj.
      u = Tensor(
        shape: [width, inputs],
        scalars: matmul(weighted, x, transposeA: true).scalars.map { m.weights * $0 })
      ub = (0..<width).map { j in
        guard m.biases != 0 else { return 0 }
        var sum = 0.0
        for row in 0..<p { sum += weighted.scalars[row * width + j] }
        return m.biases * sum
      }
    }
    return (hidden, readout)
  }
}

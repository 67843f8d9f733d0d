import Tensors

/// How a layer's weights `W` (`out × in`) and biases are drawn.
///
/// - `gaussian`: `W_ij ~ N(0, σ_w²/fan_in)`, `b_i ~ N(0, σ_b²)` — the mean-field
///   parameterisation (Poole et al. 2016; Schoenholz et al. 2017).
/// - `he`: `W_ij ~ N(0, 2/fan_in)`, `b = 0` (He et al. 2015).
/// - `xavier`: Glorot normal, `W_ij ~ N(0, 2/(fan_in + fan_out))`, `b = 0` (Glorot & Bengio 2010).
/// - `orthogonal`: `W = σ_w · U Vᵀ` where `U Σ Vᵀ` is the SVD of a Gaussian matrix — the
///   polar factor, Haar-distributed on (semi-)orthogonal matrices (Saxe et al. 2014);
///   `b_i ~ N(0, σ_b²)`.
public enum Initialization: String, CaseIterable, Codable, Sendable {
  case gaussian
  case he
  case xavier
  case orthogonal

  /// Draws `(weight, bias)` for a layer with `fanIn` inputs and `fanOut` outputs.
  public func sample<S: TensorScalar>(
    fanIn: Int, fanOut: Int, sigmaW: Double, sigmaB: Double,
    using rng: inout some RandomNumberGenerator
  ) -> (weight: Tensor<S>, bias: Tensor<S>) {
    let shape = [fanOut, fanIn]
    let weight: Tensor<S>
    var biasStd = sigmaB
    switch self {
    case .gaussian:
      weight = .randomNormal(
        shape, standardDeviation: sigmaW / Double(fanIn).squareRoot(), using: &rng)
    case .he:
      weight = .randomNormal(
        shape, standardDeviation: (2 / Double(fanIn)).squareRoot(), using: &rng)
      biasStd = 0
    case .xavier:
      weight = .randomNormal(
        shape, standardDeviation: (2 / Double(fanIn + fanOut)).squareRoot(), using: &rng)
      biasStd = 0
    case .orthogonal:
      let gaussian = Tensor<Double>.randomNormal(shape, using: &rng)
      // A Gaussian matrix has full rank with probability one; the SVD cannot fail on it.
      let svd = try! singularValueDecomposition(gaussian)
      weight = Tensor<S>(matmul(svd.u, svd.vt) * sigmaW)
    }
    let bias: Tensor<S> =
      biasStd > 0
      ? .randomNormal([fanOut], standardDeviation: biasStd, using: &rng) : .zeros([fanOut])
    return (weight, bias)
  }
}

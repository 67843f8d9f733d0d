import Tensors

/// A fully connected network with one hidden layer of width N and a scalar output, in
/// neural-tangents' conventions (`Dense(σ_w, σ_b), φ, Dense(σ_w, σ_b)`), in double precision
/// with hand-written backpropagation (two BLAS products per pass):
///
///     h = m_W · W x + m_b · b,   f(x) = m_v · vᵀ φ(h) + m_c · c.
///
/// - NTK parameterisation: W, b, v, c ~ N(0, 1) and multipliers m_W = σ_w/√d, m_b = σ_b,
///   m_v = σ_w/√N, m_c = σ_b. Gradient descent on these parameters has the neural tangent
///   kernel of ``Theory/NeuralKernel`` (depth 1) as N → ∞ (Jacot et al. 2018).
/// - Standard parameterisation: the same function at initialisation with the scales in the
///   parameters (W ~ N(0, σ_w²/d), b ~ N(0, σ_b²), v ~ N(0, σ_w²/N), c ~ N(0, σ_b²)) and all
///   multipliers 1; its tangent kernel differs by the layer widths (Sohl-Dickstein et al. 2020).
///
/// Parameters are one flat vector in the order W (row-major, N × d), b, v, c.
public struct TwoLayerNetwork: Sendable {
  public enum Parameterisation: String, Codable, Sendable, CaseIterable {
    case ntk, standard
  }

  public let inputs: Int
  public let width: Int
  public let activation: Activation
  public let weightStd: Double
  public let biasStd: Double
  public let parameterisation: Parameterisation
  public var parameters: [Double]

  /// The multipliers (m_W, m_b, m_v, m_c).
  public var multipliers: (weights: Double, biases: Double, readout: Double, readoutBias: Double) {
    switch parameterisation {
    case .ntk:
      return (
        weightStd / Double(inputs).squareRoot(), biasStd, weightStd / Double(width).squareRoot(),
        biasStd
      )
    case .standard: return (1, 1, 1, 1)
    }
  }

  public var parameterCount: Int { width * inputs + 2 * width + 1 }

  /// A network drawn from `seed`: W row by row, then b, v and c.
  public init(
    inputs: Int, width: Int, activation: Activation, weightStd: Double, biasStd: Double,
    parameterisation: Parameterisation = .ntk, seed: UInt64
  ) {
    precondition(inputs > 0 && width > 0, "a network needs inputs and hidden units")
    self.inputs = inputs
    self.width = width
    self.activation = activation
    self.weightStd = weightStd
    self.biasStd = biasStd
    self.parameterisation = parameterisation
    var random = SplittableRandom(seed: seed)
    let scales: [Double]
    switch parameterisation {
    case .ntk: scales = [1, 1, 1, 1]
    case .standard:
      scales = [
        weightStd / Double(inputs).squareRoot(), biasStd, weightStd / Double(width).squareRoot(),
        biasStd,
      ]
    }
    var values = [Double]()
    values.reserveCapacity(width * inputs + 2 * width + 1)
    for (group, count) in [width * inputs, width, width, 1].enumerated() {
      for _ in 0..<count { values.append(scales[group] * random.nextNormal()) }
    }
    parameters = values
  }

  /// The hidden pre-activations h (P × N) of the rows of `x` (P × d).
  func preactivations(_ x: Tensor<Double>) -> Tensor<Double> {
    precondition(x.rank == 2 && x.columns == inputs, "inputs must be P × \(inputs)")
    let weights = Tensor(shape: [width, inputs], scalars: Array(parameters[0..<(width * inputs)]))
    var h = matmul(x, weights, transposeB: true)
    let m = multipliers
    let biasStart = width * inputs
    h.withUnsafeMutableBufferPointer { values in
      for row in 0..<x.rows {
        for j in 0..<width {
          values[row * width + j] =
            m.weights * values[row * width + j] + m.biases * parameters[biasStart + j]
        }
      }
    }
    return h
  }

  /// f at each row of `x`.
  public func outputs(_ x: Tensor<Double>) -> [Double] {
    let h = preactivations(x)
    let m = multipliers
    let readoutStart = width * inputs + width
    let bias = m.readoutBias * parameters[parameterCount - 1]
    return (0..<x.rows).map { row in
      var f = 0.0
      for j in 0..<width {
        f += parameters[readoutStart + j] * activation.value(h.scalars[row * width + j])
      }
      return m.readout * f + bias
    }
  }

  /// f at each row of `x` and the gradient of `Σ_μ g_μ f(x_μ)` with respect to the parameters,
  /// where `g` is computed from the outputs (for a loss ½Σ(f − y)², g = f − y).
  public func outputsAndGradient(
    _ x: Tensor<Double>, outputGradient: ([Double]) -> [Double]
  ) -> (outputs: [Double], gradient: [Double]) {
    let p = x.rows
    let h = preactivations(x)
    let m = multipliers
    let readoutStart = width * inputs + width
    var phi = [Double](repeating: 0, count: p * width)
    var outputs = [Double](repeating: m.readoutBias * parameters[parameterCount - 1], count: p)
    for row in 0..<p {
      var f = 0.0
      for j in 0..<width {
        let value = activation.value(h.scalars[row * width + j])
        phi[row * width + j] = value
        f += parameters[readoutStart + j] * value
      }
      outputs[row] += m.readout * f
    }
    let g = outputGradient(outputs)
    var gradient = [Double](repeating: 0, count: parameterCount)
    // Readout: ∂/∂v_j = m_v Σ_μ g_μ φ_μj; ∂/∂c = m_c Σ_μ g_μ. Hidden: δ_μj = g_μ m_v v_j φ′(h_μj).
    var delta = Tensor<Double>.zeros([p, width])
    var gSum = 0.0
    for row in 0..<p {
      gSum += g[row]
      for j in 0..<width {
        gradient[readoutStart + j] += m.readout * g[row] * phi[row * width + j]
        delta[row, j] =
          g[row] * m.readout * parameters[readoutStart + j]
          * activation.derivative(h.scalars[row * width + j])
      }
    }
    gradient[parameterCount - 1] = m.readoutBias * gSum
    let biasStart = width * inputs
    for row in 0..<p {
      for j in 0..<width { gradient[biasStart + j] += m.biases * delta.scalars[row * width + j] }
    }
    // ∂/∂W = m_W δᵀX (N × d).
    let weightGradient = matmul(delta, x, transposeA: true)
    for k in 0..<(width * inputs) { gradient[k] = m.weights * weightGradient.scalars[k] }
    return (outputs, gradient)
  }

  /// The empirical tangent kernel Θ_μν = ∇f(x_μ)·∇f(x_ν) on the rows of `x` (P × P):
  /// `(m_W² x_μ·x_ν + m_b²) Σ_j D_μj D_νj + m_v² Σ_j φ_μj φ_νj + m_c²` with
  /// `D_μj = m_v v_j φ′(h_μj)`.
  public func tangentKernel(_ x: Tensor<Double>) -> Tensor<Double> {
    let p = x.rows
    let h = preactivations(x)
    let m = multipliers
    let readoutStart = width * inputs + width
    var phi = Tensor<Double>.zeros([p, width])
    var slopes = Tensor<Double>.zeros([p, width])
    for row in 0..<p {
      for j in 0..<width {
        let z = h.scalars[row * width + j]
        phi[row, j] = activation.value(z)
        slopes[row, j] = m.readout * parameters[readoutStart + j] * activation.derivative(z)
      }
    }
    let inputGram = matmul(x, x, transposeB: true)
    let slopeGram = matmul(slopes, slopes, transposeB: true)
    let featureGram = matmul(phi, phi, transposeB: true)
    let values = (0..<(p * p)).map { i in
      (m.weights * m.weights * inputGram.scalars[i] + m.biases * m.biases)
        * slopeGram.scalars[i] + m.readout * m.readout * featureGram.scalars[i] + m.readoutBias
        * m.readoutBias
    }
    return Tensor(shape: [p, p], scalars: values)
  }
}

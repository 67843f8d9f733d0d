import Foundation
import NN
import Runner
import Tensors

/// The infinite-width kernels of a deep fully connected network: its NNGP kernel K (the
/// covariance of the outputs over random initialisations; Neal 1996, Lee et al. 2018) and its
/// neural tangent kernel Θ (the kernel of gradient-descent training; Jacot, Gabriel & Hongler
/// 2018).
///
/// The network and conventions are neural-tangents' (`stax.serial` of `depth` blocks
/// `Dense(σ_w, σ_b), φ` and a readout `Dense(σ_w, σ_b)`, NTK parameterisation): the input
/// kernel is `x·x′/d`; a dense layer maps `K ← σ_w² K + σ_b²` and `Θ ← K + σ_w² Θ` (with the
/// new K), starting from Θ = 0; a nonlinearity maps `K ← E[φ(u)φ(v)]` and
/// `Θ ← Θ · E[φ′(u)φ′(v)]`, (u, v) centred Gaussian with covariance (K(x,x), K(x,x′);
/// K(x,x′), K(x′,x′)).
///
/// In the standard parameterisation (`Dense(N, σ_w, σ_b, parameterization='standard')`: the
/// scales in the weights' initialisation rather than in the forward pass) the NNGP kernel is
/// the same, and each dense layer adds to the NTK the fan-in n of its input times its input
/// kernel: `Θ ← n K_in + σ_w² Θ + 1` before `K ← σ_w² K_in + σ_b²`, with n = d for the first
/// layer (whose K_in = x·x′/d) and the hidden width N for the others (Sohl-Dickstein, Novak,
/// Schoenholz & Lee 2020). The 1 is the bias's gradient, present (as in neural-tangents) even
/// when σ_b = 0.
///
/// Expectations: ReLU by the arc-cosine kernel of degree 1 (Cho & Saul 2009),
/// `E[φφ] = √(q₁q₂)/(2π) (sin θ + (π − θ) cos θ)`, `E[φ′φ′] = (π − θ)/(2π)`, cos θ = c/√(q₁q₂);
/// erf in closed form (Williams 1997), `E[φφ] = (2/π) arcsin(2c/√((1 + 2q₁)(1 + 2q₂)))`,
/// `E[φ′φ′] = (4/π)/√((1 + 2q₁)(1 + 2q₂) − 4c²)`; identity exactly; every other activation
/// (and these, on request) by ``GaussianPairExpectation``.
public struct NeuralKernel: Codable, Sendable, Equatable {
  public enum Method: String, Codable, Sendable, CaseIterable {
    /// Closed forms where there are (ReLU, erf, identity), quadrature otherwise.
    case closedForm = "closed-form"
    /// Quadrature for every activation.
    case quadrature
  }

  public var activation: Activation
  /// Hidden layers (nonlinearities); the readout is one more dense layer.
  public var depth: Int
  /// σ_w: weights are N(0, σ_w²/fan_in).
  public var weightStd: Double
  /// σ_b: biases are N(0, σ_b²).
  public var biasStd: Double
  public var method: Method
  public var parameterisation: TwoLayerNetwork.Parameterisation
  /// The hidden width N, which only the standard parameterisation's NTK depends on.
  public var width: Int

  public init(
    activation: Activation, depth: Int, weightStd: Double = 1, biasStd: Double = 0,
    method: Method = .closedForm, parameterisation: TwoLayerNetwork.Parameterisation = .ntk,
    width: Int = 1
  ) {
    self.activation = activation
    self.depth = depth
    self.weightStd = weightStd
    self.biasStd = biasStd
    self.method = method
    self.parameterisation = parameterisation
    self.width = width
  }

  enum CodingKeys: String, CodingKey {
    case activation, depth, weightStd, biasStd, method, parameterisation, width
  }

  /// The parameterisation and width are written only for the standard parameterisation, so
  /// that stored NTK-parameterisation configurations keep their hashes.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    activation = try container.decode(Activation.self, forKey: .activation)
    depth = try container.decode(Int.self, forKey: .depth)
    weightStd = try container.decode(Double.self, forKey: .weightStd)
    biasStd = try container.decode(Double.self, forKey: .biasStd)
    method = try container.decode(Method.self, forKey: .method)
    parameterisation =
      try container.decodeIfPresent(
        TwoLayerNetwork.Parameterisation.self, forKey: .parameterisation) ?? .ntk
    width = try container.decodeIfPresent(Int.self, forKey: .width) ?? 1
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(activation, forKey: .activation)
    try container.encode(depth, forKey: .depth)
    try container.encode(weightStd, forKey: .weightStd)
    try container.encode(biasStd, forKey: .biasStd)
    try container.encode(method, forKey: .method)
    if parameterisation == .standard {
      try container.encode(parameterisation, forKey: .parameterisation)
      try container.encode(width, forKey: .width)
    }
  }

  /// NNGP and NTK of the outputs for inputs whose input kernel is (q₁ = x·x/d, q₂ = x′·x′/d,
  /// c = x·x′/d); d matters only to the standard parameterisation's NTK.
  public func kernels(q1: Double, q2: Double, c: Double, inputDimension d: Int = 1) -> (
    nngp: Double, ntk: Double
  ) {
    kernels(trajectory(q1), trajectory(q2), c: c, inputDimension: d)
  }

  /// The variances K(x, x) of one input after each dense layer, l = 0…depth (the last is the
  /// output's), from its input kernel q = x·x/d: `q₀ = σ_w² q + σ_b²`,
  /// `q_{l+1} = σ_w² E[φ(u)²] + σ_b²` with u ~ N(0, q_l). They depend on the input alone, so a
  /// kernel matrix computes them once per point instead of once per pair.
  public func trajectory(_ q: Double) -> [Double] {
    let (w2, b2) = (weightStd * weightStd, biasStd * biasStd)
    var values = [w2 * q + b2]
    for l in 0..<depth {
      let variance = expectations(q1: values[l], q2: values[l], c: values[l]).value
      values.append(w2 * variance + b2)
    }
    return values
  }

  /// NNGP and NTK of two inputs from their ``trajectory(_:)``s and input kernel c = x·x′/d
  /// (of inputs of dimension d).
  public func kernels(
    _ first: [Double], _ second: [Double], c input: Double, inputDimension d: Int = 1
  ) -> (nngp: Double, ntk: Double) {
    let (w2, b2) = (weightStd * weightStd, biasStd * biasStd)
    let standard = parameterisation == .standard
    var c = w2 * input + b2
    var ntk = standard ? Double(d) * input + 1 : c
    for l in 0..<depth {
      let (value, derivative) = expectations(q1: first[l], q2: second[l], c: c)
      if standard {
        ntk = Double(width) * value + w2 * (ntk * derivative) + 1
        c = w2 * value + b2
      } else {
        c = w2 * value + b2
        ntk = c + w2 * (ntk * derivative)
      }
    }
    return (c, ntk)
  }

  /// NNGP and NTK of the outputs for inputs `x` and `y` (same length d).
  public func kernels(_ x: [Double], _ y: [Double]) -> (nngp: Double, ntk: Double) {
    precondition(x.count == y.count && !x.isEmpty, "inputs of equal, positive dimension")
    let d = Double(x.count)
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    return kernels(
      q1: dot(x, x) / d, q2: dot(y, y) / d, c: dot(x, y) / d, inputDimension: x.count)
  }

  /// `(E[φ(u)φ(v)], E[φ′(u)φ′(v)])` for the centred Gaussian pair with covariance
  /// (q₁, c; c, q₂).
  public func expectations(q1: Double, q2: Double, c: Double) -> (value: Double, derivative: Double)
  {
    if method == .closedForm {
      switch activation {
      case .identity: return (c, 1)
      case .relu:
        let norm = (q1 * q2).squareRoot()
        // A zero-variance side is 0 (ReLU(0) = 0, and its derivative at 0 is taken as 0).
        guard norm > 0 else { return (0, 0) }
        // With ρ = cos θ: sin θ = √((1 − ρ)(1 + ρ)), one square root instead of sin and cos.
        let rho = min(max(c / norm, -1), 1)
        let theta = acos(rho)
        let sine = ((1 - rho) * (1 + rho)).squareRoot()
        return (norm / (2 * .pi) * (sine + (.pi - theta) * rho), (.pi - theta) / (2 * .pi))
      case .erf:
        let (s1, s2) = (1 + 2 * q1, 1 + 2 * q2)
        let ratio = min(max(2 * c / (s1 * s2).squareRoot(), -1), 1)
        return (2 / .pi * asin(ratio), 4 / .pi / (s1 * s2 - 4 * c * c).squareRoot())
      default: break
      }
    }
    let quadrature = GaussianPairExpectation.standard
    let phi = activation
    return (
      quadrature.expectation(q1: q1, q2: q2, c: c, phi.value, phi.value),
      quadrature.expectation(q1: q1, q2: q2, c: c, phi.derivative, phi.derivative)
    )
  }

  /// The NNGP and NTK between the rows of `a` (P_a × d) and of `b` (P_b × d), as P_a × P_b
  /// matrices: the cross Gram matrix A Bᵀ/d by BLAS, then the layer maps entry by entry, rows
  /// split over `jobs` threads.
  public func crossMatrices(_ a: Tensor<Double>, _ b: Tensor<Double>, jobs: Int = 1) -> (
    nngp: Tensor<Double>, ntk: Tensor<Double>
  ) {
    precondition(
      a.rank == 2 && b.rank == 2 && a.columns == b.columns && a.columns > 0,
      "inputs must be matrices with the same positive number of columns")
    let (m, n, d) = (a.rows, b.rows, Double(a.columns))
    let gram = matmul(a, b, transposeB: true).scalars.map { $0 / d }
    func norms(_ x: Tensor<Double>) -> [Double] {
      (0..<x.rows).map { i in (0..<x.columns).reduce(0) { $0 + x[i, $1] * x[i, $1] } / d }
    }
    let (ta, tb) = (norms(a).map(trajectory), norms(b).map(trajectory))
    // The body does not throw, so neither does the map.
    let rows = try! ParallelMap.run(Array(0..<m), jobs: max(1, jobs)) { _, i in
      (0..<n).map { j in kernels(ta[i], tb[j], c: gram[i * n + j], inputDimension: a.columns) }
    }
    let values = rows.flatMap { $0! }
    return (
      Tensor(shape: [m, n], scalars: values.map(\.nngp)),
      Tensor(shape: [m, n], scalars: values.map(\.ntk))
    )
  }

  /// The NNGP and NTK matrices of the rows of `inputs` (P × d): the input kernel X Xᵀ/d by BLAS,
  /// then the layer maps entry by entry on the upper triangle, rows split over `jobs` threads
  /// (the result does not depend on `jobs`).
  public func matrices(_ inputs: Tensor<Double>, jobs: Int = 1) -> (
    nngp: Tensor<Double>, ntk: Tensor<Double>
  ) {
    precondition(inputs.rank == 2 && inputs.columns > 0, "inputs must be a P × d matrix")
    let (p, d) = (inputs.rows, Double(inputs.columns))
    let gram = matmul(inputs, inputs, transposeB: true).scalars.map { $0 / d }
    // Each point's variances layer by layer, once per point.
    let trajectories = (0..<p).map { trajectory(gram[$0 * p + $0]) }
    let diagonal: [(nngp: Double, ntk: Double)] = (0..<p).map {
      kernels(
        trajectories[$0], trajectories[$0], c: gram[$0 * p + $0], inputDimension: inputs.columns)
    }
    // The body does not throw, so neither does the map.
    let rows = try! ParallelMap.run(Array(0..<p), jobs: max(1, jobs)) { _, i in
      ((i + 1)..<p).map { j in
        kernels(
          trajectories[i], trajectories[j], c: gram[i * p + j], inputDimension: inputs.columns)
      }
    }
    var nngp = [Double](repeating: 0, count: p * p)
    var ntk = nngp
    for i in 0..<p {
      nngp[i * p + i] = diagonal[i].nngp
      ntk[i * p + i] = diagonal[i].ntk
      guard let row = rows[i] else { continue }
      for (k, value) in row.enumerated() {
        let j = i + 1 + k
        (nngp[i * p + j], nngp[j * p + i]) = (value.nngp, value.nngp)
        (ntk[i * p + j], ntk[j * p + i]) = (value.ntk, value.ntk)
      }
    }
    return (Tensor(shape: [p, p], scalars: nngp), Tensor(shape: [p, p], scalars: ntk))
  }
}

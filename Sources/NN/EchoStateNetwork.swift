import CTrainability
import RealModule
import Tensors

/// How the input weights of a reservoir are drawn.
public enum InputWeightDistribution: String, Codable, Hashable, Sendable, CaseIterable {
  /// Uniform on `[−s, s]`.
  case uniform
  /// `−s` or `+s` with equal probability (reservoirpy's default, `bernoulli`).
  case bernoulli
}

/// How an echo-state reservoir is drawn (Jaeger 2001; Lukoševičius 2012, "A practical guide
/// to applying echo state networks").
public struct ReservoirConfiguration: Codable, Hashable, Sendable {
  /// Reservoir units N.
  public var units: Int
  /// Spectral radius ρ of the recurrent matrix after rescaling.
  public var spectralRadius: Double
  /// Fraction of nonzero recurrent weights (1 = dense).
  public var connectivity: Double
  /// Input weights are uniform on `[−s, s]`.
  public var inputScaling: Double
  /// Leak rate `a ∈ (0, 1]` (1: no leak).
  public var leakRate: Double
  /// Biases are uniform on `[−s_b, s_b]` (0: none).
  public var biasScaling: Double
  /// `.tanh` (the usual reservoir) or `.identity` (a linear reservoir).
  public var activation: Activation
  /// Input channels.
  public var inputs: Int
  /// How input weights are drawn (scaled by `inputScaling`), and the fraction of them that are
  /// nonzero (exactly round(p·N·inputs) entries, at random positions).
  public var inputDistribution: InputWeightDistribution
  public var inputConnectivity: Double

  public init(
    units: Int = 100, spectralRadius: Double = 0.9, connectivity: Double = 1,
    inputScaling: Double = 0.1, leakRate: Double = 1, biasScaling: Double = 0,
    activation: Activation = .tanh, inputs: Int = 1,
    inputDistribution: InputWeightDistribution = .uniform, inputConnectivity: Double = 1
  ) {
    self.inputDistribution = inputDistribution
    self.inputConnectivity = inputConnectivity
    self.units = units
    self.spectralRadius = spectralRadius
    self.connectivity = connectivity
    self.inputScaling = inputScaling
    self.leakRate = leakRate
    self.biasScaling = biasScaling
    self.activation = activation
    self.inputs = inputs
  }

  /// reservoirpy's `Reservoir(units)` as version 0.4 builds it by default: spectral radius 1,
  /// recurrent weights N(0, 1) with connectivity 0.1, input weights ±1 (`bernoulli`) with input
  /// connectivity 0.1 and input scaling 1, leak rate 1, no bias, tanh. (reservoirpy places
  /// exactly round(0.1·N²) recurrent nonzeros; here each recurrent entry is kept with
  /// probability 0.1, which after the rescaling to ρ makes no measurable difference; the input
  /// weights have exactly round(0.1·N) nonzeros, as there, since with one input that count
  /// sets how many units are driven. The same distribution of reservoirs, not the same draws.)
  public static func reservoirpyDefaults(units: Int) -> ReservoirConfiguration {
    ReservoirConfiguration(
      units: units, spectralRadius: 1, connectivity: 0.1, inputScaling: 1, leakRate: 1,
      biasScaling: 0, activation: .tanh, inputs: 1, inputDistribution: .bernoulli,
      inputConnectivity: 0.1)
  }

  enum CodingKeys: String, CodingKey {
    case units, spectralRadius, connectivity, inputScaling, leakRate, biasScaling, activation
    case inputs, inputDistribution, inputConnectivity
  }

  /// Decodes a configuration; files written before the input distribution and connectivity
  /// existed read as uniform, dense input weights (what they were drawn with).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    units = try c.decode(Int.self, forKey: .units)
    spectralRadius = try c.decode(Double.self, forKey: .spectralRadius)
    connectivity = try c.decode(Double.self, forKey: .connectivity)
    inputScaling = try c.decode(Double.self, forKey: .inputScaling)
    leakRate = try c.decode(Double.self, forKey: .leakRate)
    biasScaling = try c.decode(Double.self, forKey: .biasScaling)
    activation = try c.decode(Activation.self, forKey: .activation)
    inputs = try c.decode(Int.self, forKey: .inputs)
    inputDistribution =
      try c.decodeIfPresent(InputWeightDistribution.self, forKey: .inputDistribution) ?? .uniform
    inputConnectivity = try c.decodeIfPresent(Double.self, forKey: .inputConnectivity) ?? 1
  }

  /// Why the configuration cannot be used (the key and what is allowed), or `nil`.
  public var problem: (key: String, message: String)? {
    if units < 1 || units > 20_000 { return ("units", "must be in 1…20000, got \(units)") }
    if !(inputConnectivity > 0 && inputConnectivity <= 1) {
      return ("inputConnectivity", "must be in (0, 1], got \(inputConnectivity)")
    }
    if !(spectralRadius >= 0 && spectralRadius.isFinite) {
      return ("spectralRadius", "must be a finite number ≥ 0, got \(spectralRadius)")
    }
    if !(connectivity > 0 && connectivity <= 1) {
      return ("connectivity", "must be in (0, 1], got \(connectivity)")
    }
    if !(inputScaling >= 0 && inputScaling.isFinite) {
      return ("inputScaling", "must be a finite number ≥ 0, got \(inputScaling)")
    }
    if !(leakRate > 0 && leakRate <= 1) {
      return ("leakRate", "must be in (0, 1], got \(leakRate)")
    }
    if !(biasScaling >= 0 && biasScaling.isFinite) {
      return ("biasScaling", "must be a finite number ≥ 0, got \(biasScaling)")
    }
    if inputs < 1 { return ("inputs", "must be at least 1, got \(inputs)") }
    return nil
  }
}

/// An echo-state network's fixed random part:
///
///     x(t) = (1 − a) x(t−1) + a φ(W x(t−1) + W_in u(t) + b),   x(0) = 0
///
/// `W` has i.i.d. N(0, 1) entries (each kept with probability `connectivity`), rescaled so that
/// its spectral radius (largest eigenvalue modulus, by LAPACK `dgeev`) is exactly ρ. Only a
/// linear readout of the states is trained (``ridgeRegression(_:_:ridge:solver:)``).
///
/// Reservoirs drawn from the same seed differ only in ρ: `W_ρ = ρ W₁` with `W₁` the unit-radius
/// matrix. ``states(_:spectralRadii:)`` uses this to advance reservoirs of many radii at once,
/// one matrix–matrix product per step instead of one matrix–vector product per reservoir.
public struct EchoStateNetwork: Sendable {
  public var configuration: ReservoirConfiguration
  /// `W₁`: the recurrent matrix at spectral radius 1.
  public var unitRadiusReservoir: Tensor<Double>
  /// `W_in`, `(units, inputs)`.
  public var inputWeights: Tensor<Double>
  /// `b`, `(units)`.
  public var bias: [Double]

  /// Draws the reservoir from `seed` (weights, then input weights, then biases).
  public init(_ configuration: ReservoirConfiguration, seed: UInt64) throws {
    let n = configuration.units
    var rng = SplittableRandom(seed: seed)
    var w = Tensor<Double>.zeros([n, n])
    w.withUnsafeMutableBufferPointer { p in
      for i in 0..<(n * n) {
        let keep = configuration.connectivity >= 1 || rng.nextUniform() < configuration.connectivity
        let value = rng.nextNormal()
        if keep { p[i] = value }
      }
    }
    let radius = try spectralRadius(w)
    self.unitRadiusReservoir = radius > 0 ? w / radius : w
    let scale = configuration.inputScaling
    if configuration.inputDistribution == .uniform && configuration.inputConnectivity >= 1 {
      self.inputWeights = Tensor<Double>.randomUniform(
        [n, configuration.inputs], low: -scale, high: scale, using: &rng)
    } else {
      // Sparse input weights have exactly round(p·N·d) nonzero entries (at least one) at positions drawn
      // without replacement (a partial Fisher–Yates shuffle), as reservoirpy places them
      // (scipy.sparse.random); then one value per nonzero entry, in position order.
      let count = n * configuration.inputs
      var nonzero = Array(0..<count)
      let kept =
        configuration.inputConnectivity >= 1
        ? count : max(1, Int((configuration.inputConnectivity * Double(count)).rounded()))
      if kept < count {
        for i in 0..<kept {
          let j = i + Int(rng.nextUniform() * Double(count - i))
          nonzero.swapAt(i, min(j, count - 1))
        }
        nonzero = nonzero[0..<kept].sorted()
      }
      var values = [Double](repeating: 0, count: count)
      for position in nonzero {
        values[position] =
          configuration.inputDistribution == .uniform
          ? scale * (2 * rng.nextUniform() - 1) : (rng.nextUniform() < 0.5 ? -scale : scale)
      }
      self.inputWeights = Tensor(shape: [n, configuration.inputs], scalars: values)
    }
    self.bias = (0..<n).map { _ in
      configuration.biasScaling * (2 * rng.nextUniform() - 1)
    }
    self.configuration = configuration
  }

  /// A reservoir given by its matrices, as another library drew them (`W` N × N, `W_in`
  /// N × d, `b` N values): `W` is kept as given — ``unitRadiusReservoir`` holds it and ρ = 1,
  /// so the states are computed with W itself, not a rescaled copy.
  public init(
    reservoir w: Tensor<Double>, inputWeights: Tensor<Double>, bias: [Double],
    leakRate: Double = 1, activation: Activation = .tanh
  ) {
    precondition(w.rank == 2 && w.rows == w.columns, "W must be square, got \(w.shape)")
    precondition(inputWeights.rows == w.rows && bias.count == w.rows, "shapes must match W")
    configuration = ReservoirConfiguration(
      units: w.rows, spectralRadius: 1, inputScaling: 1, leakRate: leakRate,
      activation: activation, inputs: inputWeights.columns)
    unitRadiusReservoir = w
    self.inputWeights = inputWeights
    self.bias = bias
  }

  /// `W = ρ W₁`.
  public var reservoir: Tensor<Double> { unitRadiusReservoir * configuration.spectralRadius }

  /// The states `x(1) … x(T)` driven by `inputs` `(T, inputs)`, as a `(T, units)` matrix.
  public func states(_ inputs: Tensor<Double>) -> Tensor<Double> {
    states(inputs, spectralRadii: [configuration.spectralRadius])[0]
  }

  /// The states of the reservoirs `ρ_r W₁` for every `ρ_r` in `spectralRadii`, driven by the
  /// same inputs: one `(T, units)` matrix per radius. Each step is one `(R, N)·(N, N)` product
  /// (`crit_reservoir_product`, which reads the matrix in place) and one vectorised tanh.
  public func states(_ inputs: Tensor<Double>, spectralRadii radii: [Double]) -> [Tensor<Double>] {
    precondition(
      inputs.rank == 2 && inputs.columns == configuration.inputs, "inputs \(inputs.shape)")
    let (t, n, r) = (inputs.rows, configuration.units, radii.count)
    guard r > 0 && n > 0 else { return radii.map { _ in Tensor<Double>.zeros([t, n]) } }
    let a = configuration.leakRate
    let phi = configuration.activation
    // Drive W_in u(t) + b for every step: (T, N).
    var drive = Tensor<Double>(
      shape: [t, n], rowsRepeating: bias.withUnsafeBufferPointer { $0 })
    gemm(inputs, inputWeights, into: &drive, transposeB: true, beta: 1)
    var packed = [Double](repeating: 0, count: (n + 7) / 8 * 8 * n)
    unitRadiusReservoir.transposed().withUnsafeBufferPointer {
      crit_reservoir_pack($0.baseAddress!, &packed, n)
    }
    var current = Tensor<Double>.zeros([r, n])
    var product = Tensor<Double>.zeros([r, n])
    var out = [[Double]](repeating: [], count: r)
    for k in 0..<r { out[k].reserveCapacity(t * n) }
    drive.withUnsafeBufferPointer { u in
      for step in 0..<t {
        current.withUnsafeBufferPointer { x in
          product.withUnsafeMutableBufferPointer { y in
            crit_reservoir_product(x.baseAddress!, packed, y.baseAddress!, r, n)
          }
        }
        product.withUnsafeMutableBufferPointer { p in
          current.withUnsafeMutableBufferPointer { x in
            for k in 0..<r {
              let rho = radii[k]
              let row = p.baseAddress! + k * n
              for i in 0..<n { row[i] = rho * row[i] + u[step * n + i] }
              switch phi {
              case .tanh: crit_tanh_in_place(row, n)
              case .identity: break
              default: for i in 0..<n { row[i] = phi.value(row[i]) }
              }
              for i in 0..<n {
                x[k * n + i] = a == 1 ? row[i] : (1 - a) * x[k * n + i] + a * row[i]
              }
              out[k].append(contentsOf: x[(k * n)..<((k + 1) * n)])
            }
          }
        }
      }
    }
    return out.map { Tensor(shape: [t, n], scalars: $0) }
  }
}

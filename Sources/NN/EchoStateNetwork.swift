import CTrainability
import RealModule
import Tensors

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

  public init(
    units: Int = 100, spectralRadius: Double = 0.9, connectivity: Double = 1,
    inputScaling: Double = 0.1, leakRate: Double = 1, biasScaling: Double = 0,
    activation: Activation = .tanh, inputs: Int = 1
  ) {
    self.units = units
    self.spectralRadius = spectralRadius
    self.connectivity = connectivity
    self.inputScaling = inputScaling
    self.leakRate = leakRate
    self.biasScaling = biasScaling
    self.activation = activation
    self.inputs = inputs
  }

  /// Why the configuration cannot be used (the key and what is allowed), or `nil`.
  public var problem: (key: String, message: String)? {
    if units < 1 || units > 20_000 { return ("units", "must be in 1…20000, got \(units)") }
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
    self.inputWeights = Tensor<Double>.randomUniform(
      [n, configuration.inputs], low: -configuration.inputScaling,
      high: configuration.inputScaling, using: &rng)
    self.bias = (0..<n).map { _ in
      configuration.biasScaling * (2 * rng.nextUniform() - 1)
    }
    self.configuration = configuration
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

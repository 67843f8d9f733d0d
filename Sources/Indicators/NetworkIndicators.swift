import Autodiff
import NN
import RealModule
import Spectral
import Tensors

/// Indicators of one layer of an MLP (hidden layers, then the readout for the weight ones).
public struct LayerIndicators: Codable, Sendable, Equatable {
  /// Fraction of units whose activation is within `deadThreshold` of 0 on every input
  /// (hidden layers only; `nil` for the readout).
  public var deadRate: Double?
  /// Empirical χ₁: the mean squared singular value of the layer Jacobian `D_l W_l`,
  /// `(1/N_l) Σ_i φ′(z_i)² Σ_j W_ij²` averaged over inputs — the mean-field order parameter
  /// (`σ_w² E[φ′(h)²]`; Poole et al. 2016). Hidden layers only.
  public var chi1: Double?
  /// Spectrum of the weight matrix (σ_max, stable rank, …).
  public var spectrum: SpectrumStatistics
}

/// Everything measured on a network at one epoch.
public struct IndicatorSnapshot: Codable, Sendable, Equatable {
  public var layers: [LayerIndicators]
  /// Mean of `‖f(x + εδ) − f(x)‖/ε` over inputs, `δ` a random unit vector per input.
  public var sensitivityFiniteDifference: Double
  /// Mean of `‖J(x)·δ‖` with the same `δ`: the exact directional derivative.
  public var sensitivityJacobian: Double
  /// Mean Frobenius norm `‖J(x)‖_F` of the input–output Jacobian.
  public var jacobianFrobenius: Double
  /// Mean and standard deviation of all singular values of `J(x)` over inputs (dynamical
  /// isometry: mean ≈ 1 with a small spread; Pennington et al. 2017).
  public var jacobianSingularMean: Double
  public var jacobianSingularSpread: Double
  /// Depth-wise growth exponent `(1/L)·mean log σ_max(J(x))`, `L` the number of layers.
  public var depthGrowthExponent: Double
  /// Box-counting dimension of the decision boundary (2-D inputs only).
  public var boundary: BoxCountingDimension?
  /// Points the boundary trace asked the network about.
  public var boundaryEvaluations: Int
}

/// What to measure and how.
public struct IndicatorOptions: Codable, Sendable, Hashable {
  /// Record every `every` epochs (and at the last epoch).
  public var every: Int
  public var deadThreshold: Double
  /// Finite-difference step ε of the sensitivity.
  public var epsilon: Double
  /// Decision-boundary grid `resolution × resolution` (0 disables the boundary).
  public var boundaryResolution: Int
  /// Window of the boundary grid; `nil` takes the inputs' bounding box widened by 10 % per side.
  public var boundaryWindow: PlaneWindow?

  public init(
    every: Int = 1, deadThreshold: Double = 1e-5, epsilon: Double = 1e-3,
    boundaryResolution: Int = 256, boundaryWindow: PlaneWindow? = nil
  ) {
    self.every = every
    self.deadThreshold = deadThreshold
    self.epsilon = epsilon
    self.boundaryResolution = boundaryResolution
    self.boundaryWindow = boundaryWindow
  }
}

/// Measures every indicator of `model` on `inputs`, in double precision (a `Double` copy of
/// the network), so that finite differences are limited by the network, not by rounding.
/// `effectiveWeights` replaces each layer's weight for the spectra (spectral normalisation).
public func measureIndicators(
  of model: MLP<Float>, on inputs: Tensor<Float>, options: IndicatorOptions,
  seed: UInt64, effectiveWeights: [Tensor<Float>]? = nil
) -> IndicatorSnapshot {
  let network = model.converted(to: Double.self)
  let x = Tensor<Double>(inputs)
  let traced = network.tracedForward(x)
  let trace = traced.trace
  let activation = model.configuration.activation
  var layers: [LayerIndicators] = []
  for (l, layer) in network.layers.enumerated() {
    let w = effectiveWeights.map { Tensor<Double>($0[l]) } ?? layer.weight.value
    let spectrum = SpectrumStatistics(singularValues: (try? fullSpectrum(w)) ?? [])
    guard l < trace.count else {
      layers.append(LayerIndicators(deadRate: nil, chi1: nil, spectrum: spectrum))
      continue
    }
    let (z, h) = trace[l]
    let units = h.columns
    var alive = [Bool](repeating: false, count: units)
    h.withUnsafeBufferPointer { h in
      for k in h.indices where abs(h[k]) > options.deadThreshold { alive[k % units] = true }
    }
    let (rows, columns) = (w.rows, w.columns)
    let rowNorms = w.withUnsafeBufferPointer { w in
      (0..<rows).map { i in
        (0..<columns).reduce(0.0) { $0 + w[i * columns + $1] * w[i * columns + $1] }
      }
    }
    var chi = 0.0
    z.withUnsafeBufferPointer { z in
      for k in z.indices {
        let d = activation.derivative(z[k])
        chi += d * d * rowNorms[k % units]
      }
    }
    layers.append(
      LayerIndicators(
        deadRate: Double(alive.filter { !$0 }.count) / Double(units),
        chi1: chi / Double(z.count), spectrum: spectrum))
  }
  let sensitivity = measureSensitivity(
    network, x, epsilon: options.epsilon, seed: seed, traced: traced)
  var boundary: BoxCountingDimension? = nil
  var evaluations = 0
  if options.boundaryResolution > 0 && x.columns == 2 && network.layers.last!.outputSize >= 2 {
    let window =
      options.boundaryWindow ?? paddedWindow(of: x, resolution: options.boundaryResolution)
    // The boundary is the one the (single-precision) network actually draws.
    let map = DecisionMap.adaptive(window: window) { points in classify(model, points) }
    boundary = boxCountingDimension(mask: map.boundary, side: window.resolution)
    evaluations = map.evaluations
  }
  return IndicatorSnapshot(
    layers: layers, sensitivityFiniteDifference: sensitivity.finiteDifference,
    sensitivityJacobian: sensitivity.jacobian, jacobianFrobenius: sensitivity.frobenius,
    jacobianSingularMean: sensitivity.singularMean,
    jacobianSingularSpread: sensitivity.singularSpread,
    depthGrowthExponent: sensitivity.logSigmaMax / Double(network.layers.count),
    boundary: boundary, boundaryEvaluations: evaluations)
}

/// Class (argmax of the output) at each point of the plane.
public func classify<S: TensorScalar>(_ network: MLP<S>, _ points: [(Double, Double)]) -> [Int] {
  if points.isEmpty { return [] }
  let x = Tensor<S>(shape: [points.count, 2], scalars: points.flatMap { [S($0.0), S($0.1)] })
  return network(x).argmaxRows()
}

/// The inputs' bounding box widened by 10 % of its extent on every side.
public func paddedWindow<S: TensorScalar>(of x: Tensor<S>, resolution: Int) -> PlaneWindow {
  let xs = (0..<x.rows).map { Double(x[$0, 0]) }
  let ys = (0..<x.rows).map { Double(x[$0, 1]) }
  let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
  let (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
  let px = max(x1 - x0, 1e-6) * 0.1
  let py = max(y1 - y0, 1e-6) * 0.1
  return PlaneWindow(
    xMin: x0 - px, xMax: x1 + px, yMin: y0 - py, yMax: y1 + py, resolution: resolution)
}

struct SensitivityMeasures {
  var finiteDifference = 0.0
  var jacobian = 0.0
  var frobenius = 0.0
  var singularMean = 0.0
  var singularSpread = 0.0
  var logSigmaMax = 0.0
}

/// Input–output Jacobians `J(x)` (`outputs × inputs` per example) by one reverse pass per
/// output: `∂(Σ_b f_k(x_b))/∂x_b` is row `k` of `J(x_b)` because examples do not interact in
/// evaluation mode.
public func inputJacobians(_ network: MLP<Double>, _ x: Tensor<Double>) -> [Tensor<Double>] {
  let outputs = network.layers.last!.outputSize
  let (batch, inputs) = (x.rows, x.columns)
  var rows: [Tensor<Double>] = []
  for k in 0..<outputs {
    let input = Variable(x, requiresGradient: true)
    var unused = SplittableRandom(seed: 0)
    let y = network.forward(input, training: false, using: &unused)
    var mask = Tensor<Double>.zeros([1, outputs])
    mask[0, k] = 1
    sum(y * Variable(mask)).backward()
    rows.append(input.grad ?? .zeros([batch, inputs]))
  }
  return (0..<batch).map { b in
    Tensor(shape: [outputs, inputs], generating: { rows[$0 / inputs][b, $0 % inputs] })
  }
}

/// Input–output Jacobians by forward mode, for networks without normalisation layers: one
/// tangent pass per input dimension, `t ← (t·Wᵀ) ⊙ φ′(z)` through the hidden layers and
/// `t ← t·Wᵀ` through the readout, seeded with the unit vector `e_j` (column `j` of `J`).
/// Cheaper than ``inputJacobians(_:_:)`` when inputs are few (the 2-D tasks). `trace`, when
/// given, is `network.hiddenTrace(x)` already computed.
public func forwardJacobians(
  _ network: MLP<Double>, _ x: Tensor<Double>,
  trace given: [(preActivation: Tensor<Double>, activation: Tensor<Double>)]? = nil
) -> [Tensor<Double>] {
  let trace = given ?? network.hiddenTrace(x)
  let activation = network.configuration.activation
  let derivatives = trace.map { $0.preActivation.map { activation.derivative($0) } }
  let (batch, inputs) = (x.rows, x.columns)
  let outputs = network.layers.last!.outputSize
  var columns: [Tensor<Double>] = []
  for j in 0..<inputs {
    var t = Tensor<Double>.zeros([batch, inputs])
    for b in 0..<batch { t[b, j] = 1 }
    for (l, layer) in network.layers.enumerated() {
      t = matmul(t, layer.weight.value, transposeB: true)
      if l < derivatives.count { t = t * derivatives[l] }
    }
    columns.append(t)
  }
  return (0..<batch).map { b in
    Tensor(shape: [outputs, inputs], generating: { columns[$0 % inputs][b, $0 / inputs] })
  }
}

/// Singular values (descending) of a small matrix: closed form when one side is at most 2
/// (the eigenvalues of the 2×2 Gram matrix), LAPACK otherwise.
func smallSingularValues(_ j: Tensor<Double>) -> [Double] {
  let (m, n) = (j.rows, j.columns)
  if min(m, n) == 1 { return [j.norm] }
  guard min(m, n) == 2 else { return (try? singularValues(of: j)) ?? [] }
  // Gram matrix G = JᵀJ (n = 2) or JJᵀ (m = 2): [[a, b], [b, c]].
  var (a, b, c) = (0.0, 0.0, 0.0)
  if n == 2 {
    for i in 0..<m {
      a += j[i, 0] * j[i, 0]
      b += j[i, 0] * j[i, 1]
      c += j[i, 1] * j[i, 1]
    }
  } else {
    for k in 0..<n {
      a += j[0, k] * j[0, k]
      b += j[0, k] * j[1, k]
      c += j[1, k] * j[1, k]
    }
  }
  let mean = (a + c) / 2
  let radius = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
  return [(mean + radius).squareRoot(), max(mean - radius, 0).squareRoot()]
}

/// The sensitivity measures of `network` at `x`; `traced`, when given, is
/// `network.tracedForward(x)` already computed (the indicators' pass), whose output and hidden
/// trace are then not computed again.
func measureSensitivity(
  _ network: MLP<Double>, _ x: Tensor<Double>, epsilon: Double, seed: UInt64,
  traced: (
    trace: [(preActivation: Tensor<Double>, activation: Tensor<Double>)], output: Tensor<Double>
  )? =
    nil
)
  -> SensitivityMeasures
{
  let (batch, inputs) = (x.rows, x.columns)
  var rng = SplittableRandom(seed: seed).derived("sensitivity")
  var directions = Tensor<Double>.randomNormal([batch, inputs], using: &rng)
  for b in 0..<batch {
    let length = (0..<inputs).reduce(0.0) { $0 + directions[b, $1] * directions[b, $1] }
      .squareRoot()
    for j in 0..<inputs { directions[b, j] /= length }
  }
  let f0 = traced?.output ?? network(x)
  let f1 = network(x + directions * epsilon)
  let jacobians =
    network.configuration.normalization == .none
    ? forwardJacobians(network, x, trace: traced?.trace) : inputJacobians(network, x)
  var measures = SensitivityMeasures()
  var singulars: [Double] = []
  for b in 0..<batch {
    let outputs = f0.columns
    measures.finiteDifference +=
      (0..<outputs).reduce(0.0) { $0 + (f1[b, $1] - f0[b, $1]) * (f1[b, $1] - f0[b, $1]) }
      .squareRoot() / epsilon
    let j = jacobians[b]
    measures.jacobian +=
      (0..<outputs).reduce(0.0) { total, k in
        let jd = (0..<inputs).reduce(0.0) { $0 + j[k, $1] * directions[b, $1] }
        return total + jd * jd
      }.squareRoot()
    measures.frobenius += j.norm
    let s = smallSingularValues(j)
    singulars += s
    measures.logSigmaMax += Double.log(max(s.first ?? 0, 1e-300))
  }
  let n = Double(max(batch, 1))
  measures.finiteDifference /= n
  measures.jacobian /= n
  measures.frobenius /= n
  measures.logSigmaMax /= n
  let mean = singulars.reduce(0, +) / Double(max(singulars.count, 1))
  measures.singularMean = mean
  measures.singularSpread =
    (singulars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(singulars.count, 1)))
    .squareRoot()
  return measures
}

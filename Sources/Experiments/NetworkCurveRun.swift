import Data
import Foundation
import NN
import Tensors
import Theory

/// One trained network of the scaling protocol (SPEC §7 protocol 6): a two-layer network
/// (``TwoLayerNetwork``, NTK parameterisation, width N) trained on the first P points of a
/// draw's data set and tested on its last `testCount` points — the same points as the
/// kernel's draw with the same seed (``KernelCurveDraw``), so that the two errors are paired.
///
/// **What is trained.** The centred network `f(x; θ) − f(x; θ₀)` on
/// `L(θ) = ½ Σ_μ (f(x_μ; θ) − f(x_μ; θ₀) − y_μ)² + (λ/2)‖θ − θ₀‖²`. Linearised around θ₀ its
/// minimiser is kernel ridge regression with the network's tangent kernel and the same λ,
/// `Θ(x, X)(Θ + λI)⁻¹y`; as N → ∞ that kernel is the NTK (Jacot et al. 2018; Lee et al. 2019),
/// so the infinite-width limit of this run is exactly the kernel curve's NTK regression.
/// Centring removes the random initial function, whose variance would otherwise add to the
/// test error (the symmetrised initialisation of Chizat et al. 2019 does the same).
///
/// **To convergence.** Full-batch Nesterov gradient descent with step 1/L and momentum
/// (√(L/λ) − 1)/(√(L/λ) + 1), where L = 1.25 λ_max(Θ̂₀) + λ from the empirical tangent kernel
/// at initialisation (the Hessian of the linearised loss has the same top eigenvalue) and λ
/// the strong convexity; with λ = 0 the momentum is k/(k + 3). The momentum is reset when the
/// step goes uphill along the gradient (O'Donoghue & Candès 2015). It stops when the gradient
/// norm falls below `tolerance` times its value at initialisation (converged) or after
/// `maximumSteps` (not converged: recorded, not hidden).
public struct NetworkCurveRun: Codable, Sendable, Equatable {
  public var data: DataConfiguration
  public var activation: Activation
  public var weightStd: Double
  public var biasStd: Double
  public var width: Int
  /// P, the training points.
  public var samples: Int
  /// The draw's spectrum points (the test points follow them in the draw's data set).
  public var spectrumPoints: Int
  public var testCount: Int
  public var ridge: Double
  public var maximumSteps: Int
  public var tolerance: Double
  /// The data seed of the draw.
  public var seed: UInt64
  /// The seed of the network's initialisation.
  public var networkSeed: UInt64

  public init(
    data: DataConfiguration, activation: Activation, weightStd: Double, biasStd: Double,
    width: Int, samples: Int, spectrumPoints: Int, testCount: Int, ridge: Double,
    maximumSteps: Int = 20_000, tolerance: Double = 1e-5, seed: UInt64, networkSeed: UInt64
  ) {
    self.data = data
    self.activation = activation
    self.weightStd = weightStd
    self.biasStd = biasStd
    self.width = width
    self.samples = samples
    self.spectrumPoints = spectrumPoints
    self.testCount = testCount
    self.ridge = ridge
    self.maximumSteps = maximumSteps
    self.tolerance = tolerance
    self.seed = seed
    self.networkSeed = networkSeed
  }

  public struct Result: Codable, Sendable, Equatable {
    /// Test mean squared error of the trained network.
    public var testError: Double
    /// Test error of NTK ridge regression on the same points (the infinite-width limit).
    public var kernelError: Double
    /// (network − kernel)/kernel.
    public var relativeDeviation: Double
    public var steps: Int
    public var converged: Bool
    /// Final gradient norm over the initial one.
    public var gradientRatio: Double
    /// Relative distance ‖Θ̂₀ − Θ‖_F/‖Θ‖_F of the empirical tangent kernel at initialisation
    /// from the NTK on the training points.
    public var kernelDistance: Double
    /// Relative distance ‖θ − θ₀‖/‖θ₀‖ travelled by the parameters.
    public var parameterChange: Double
    public var seconds: Double
  }

  /// The infinite-width kernel of this network.
  public var kernel: NeuralKernel {
    NeuralKernel(activation: activation, depth: 1, weightStd: weightStd, biasStd: biasStd)
  }

  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError {
      ConfigurationError(key: key, message: message)
    }
    guard (1...65_536).contains(width) else {
      throw fail("width", "must be in 1…65536, got \(width)")
    }
    guard samples >= 1, samples <= spectrumPoints else {
      throw fail("samples", "must be in 1…spectrumPoints (\(spectrumPoints)), got \(samples)")
    }
    guard (1...1_000_000).contains(testCount) else {
      throw fail("testCount", "must be in 1…1000000, got \(testCount)")
    }
    guard ridge >= 0, ridge.isFinite else {
      throw fail("ridge", "must be a finite number ≥ 0, got \(ridge)")
    }
    guard (1...10_000_000).contains(maximumSteps) else {
      throw fail("maximumSteps", "must be in 1…10000000, got \(maximumSteps)")
    }
    guard tolerance > 0, tolerance < 1 else {
      throw fail("tolerance", "must be in (0, 1), got \(tolerance)")
    }
    guard weightStd > 0, weightStd.isFinite, biasStd >= 0, biasStd.isFinite else {
      throw fail("weightStd", "σ_w must be positive and σ_b ≥ 0, both finite")
    }
  }

  /// Trains and tests; `nil` if `shouldStop` asked to stop first. `heartbeat` is called every
  /// 100 steps.
  public func run(
    shouldStop: () -> Bool = { false }, heartbeat: () -> Void = {}
  ) throws -> Result? {
    try validate()
    let clock = ContinuousClock()
    let start = clock.now
    let points = try ScalingData(
      data, seed: seed, spectrumPoints: spectrumPoints, testCount: testCount)
    let p = samples
    let d = points.inputs.columns
    let train = points.rows(0..<p)
    let test = points.rows(points.inputs.rows - testCount..<points.inputs.rows)
    let y = Array(points.targets[0..<p])
    let testTargets = Array(points.targets.suffix(testCount))

    // The kernel limit on the same points.
    let gram = kernel.matrices(train).ntk
    let cross = kernel.crossMatrices(test, train).ntk
    let kernelError = try KernelCurveDraw.testError(
      gram: gram, cross: cross, targets: y, testTargets: testTargets, samples: p, ridge: ridge)

    var network = TwoLayerNetwork(
      inputs: d, width: width, activation: activation, weightStd: weightStd, biasStd: biasStd,
      seed: networkSeed)
    let initial = network.parameters
    let trainOffset = network.outputs(train)
    let testOffset = network.outputs(test)
    let empirical = network.tangentKernel(train)
    let kernelDistance = frobeniusDistance(empirical, gram)
    let top = try symmetricEigenvalues(empirical).last ?? 0
    let smoothness = 1.25 * top + ridge
    let step = 1 / smoothness
    let ratio = ridge > 0 ? (smoothness / ridge).squareRoot() : .infinity
    let constantMomentum = ridge > 0 ? (ratio - 1) / (ratio + 1) : nil

    func gradient(at parameters: [Double]) -> [Double] {
      network.parameters = parameters
      var (_, g) = network.outputsAndGradient(train) { outputs in
        (0..<p).map { outputs[$0] - trainOffset[$0] - y[$0] }
      }
      for i in g.indices { g[i] += ridge * (parameters[i] - initial[i]) }
      return g
    }
    func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    var theta = initial
    var previous = initial
    let initialNorm = norm(gradient(at: initial))
    var steps = 0
    var converged = initialNorm == 0
    var gradientRatio = 0.0
    var sinceRestart = 0
    while !converged && steps < maximumSteps {
      if steps % 100 == 0 {
        if shouldStop() { return nil }
        heartbeat()
      }
      let momentum = constantMomentum ?? Double(sinceRestart) / Double(sinceRestart + 3)
      var lookahead = theta
      for i in theta.indices { lookahead[i] += momentum * (theta[i] - previous[i]) }
      let g = gradient(at: lookahead)
      gradientRatio = norm(g) / initialNorm
      guard gradientRatio.isFinite else { break }
      if gradientRatio < tolerance {
        converged = true
        theta = lookahead
        break
      }
      var next = lookahead
      var uphill = 0.0
      for i in next.indices {
        next[i] -= step * g[i]
        uphill += g[i] * (next[i] - theta[i])
      }
      previous = theta
      theta = next
      sinceRestart += 1
      if uphill > 0 {
        previous = theta
        sinceRestart = 0
      }
      steps += 1
    }
    network.parameters = theta
    let predictions = network.outputs(test)
    var testError = 0.0
    for r in 0..<testCount {
      let residual = predictions[r] - testOffset[r] - testTargets[r]
      testError += residual * residual
    }
    testError /= Double(testCount)
    var travelled = theta
    for i in travelled.indices { travelled[i] -= initial[i] }
    return Result(
      testError: testError, kernelError: kernelError,
      relativeDeviation: (testError - kernelError) / kernelError, steps: steps,
      converged: converged, gradientRatio: gradientRatio, kernelDistance: kernelDistance,
      parameterChange: norm(travelled) / norm(initial),
      seconds: (clock.now - start).inSeconds)
  }

  func frobeniusDistance(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    var (difference, size) = (0.0, 0.0)
    for (x, y) in zip(a.scalars, b.scalars) {
      difference += (x - y) * (x - y)
      size += y * y
    }
    return (difference / size).squareRoot()
  }
}

import Data
import Foundation
import NN
import Tensors
import Theory

/// One run of the sample-complexity protocol (SPEC §7 protocol 8; Rubin, Davidovich & Ringel,
/// "Patterns of feature learning and their sample complexity"): a two-layer erf network
/// f(x) = Σ_c a_c erf(w_c·x) with w_c ~ N(0, I/d) and a_c ~ N(0, 1/N) (``TwoLayerNetwork`` in
/// the standard parameterisation, σ_w = 1, no biases) trained on P points x ~ N(0, I_d) with
/// y = g(w*·x) (``HermiteTarget``) as a Bayesian posterior: Langevin dynamics
/// (``LangevinSampler``) on L = ½Σ_μ(f(x_μ) − y_μ)² at temperature T with the initialisation's
/// Gaussian as the prior (T = 0: plain gradient descent). Each layer has its own step (a diagonal
/// preconditioner, which leaves the posterior unchanged): `stepScale / (λ_ℓ + T/σ_ℓ²)` with λ_ℓ
/// the layer's top Gauss–Newton curvature (``TwoLayerNetwork/layerCurvatures(_:iterations:seed:)``)
/// and 1/σ_ℓ² its prior precision (d for W, N for a), set again at every record. One step for
/// all parameters, set by the tangent kernel's top eigenvalue, would move the first layer
/// N times slower than the readout (its gradients carry a_c ~ 1/√N): at N = 32, d = 16 no neuron
/// had aligned after 20 000 steps where the layer-wise steps align three within 2000. Between
/// two records the chain is a preconditioned Langevin chain of the posterior; the refresh makes
/// the preconditioner depend on the state, a bias that shrinks with longer `recordEvery`.
///
/// Recorded every `recordEvery` steps and at the end: the order parameters in closed form
/// (``FeatureOrderParameters``: overlap A, the linear and cubic parts of the test error, the
/// neurons' alignments) and the training loss. Beside it the Gaussian-process baseline, the
/// network's infinite-width posterior: NNGP regression with noise variance T (ridge T; at
/// T = 0 the minimum-norm interpolant) on the same points, its test error and overlap estimated
/// on `testCount` fresh points. A run whose parameters stop being finite is recorded as
/// diverged, with the snapshots it had.
///
/// Draws: the teacher direction (d normals, normalised), then the P training inputs, then the
/// test inputs, all from `seed`; the network from `networkSeed`; the Langevin noise from
/// `networkSeed` derived by "langevin".
public struct FeatureLearningRun: Codable, Sendable, Equatable {
  public var dimension: Int
  public var width: Int
  public var samples: Int
  public var target: HermiteTarget
  public var temperature: Double
  public var stepScale: Double
  public var steps: Int
  public var recordEvery: Int
  public var testCount: Int
  public var seed: UInt64
  public var networkSeed: UInt64
  /// The hidden units' activation; `nil` is erf (the closed forms). Other activations' order
  /// parameters are estimated on the test points (``FeatureOrderParameters/init(sampled:teacher:target:inputs:threshold:)``)
  /// and their GP uses their own NNGP kernel (closed form for ReLU; by quadrature otherwise,
  /// which takes minutes from P ≈ 1000). Written only when set, so erf runs keep their hashes.
  public var activation: Activation?

  public var resolvedActivation: Activation { activation ?? .erf }

  public init(
    dimension: Int, width: Int, samples: Int, target: HermiteTarget, temperature: Double,
    stepScale: Double = 0.5, steps: Int, recordEvery: Int, testCount: Int = 2000, seed: UInt64,
    networkSeed: UInt64, activation: Activation? = nil
  ) {
    self.activation = activation
    self.dimension = dimension
    self.width = width
    self.samples = samples
    self.target = target
    self.temperature = temperature
    self.stepScale = stepScale
    self.steps = steps
    self.recordEvery = recordEvery
    self.testCount = testCount
    self.seed = seed
    self.networkSeed = networkSeed
  }

  /// The order parameters after `step` steps, the training loss ½Σ(f − y)²/P and the layers'
  /// steps from then on.
  public struct Snapshot: Codable, Sendable, Equatable {
    public var step: Int
    public var trainLoss: Double
    public var order: FeatureOrderParameters
    public var hiddenStep: Double
    public var readoutStep: Double
    /// A estimated on the test points, Σf y/Σy² (beside the closed form for erf).
    public var sampledOverlap: Double?
  }

  public struct Result: Codable, Sendable, Equatable {
    public var snapshots: [Snapshot]
    public var diverged: Bool
    /// The Gaussian-process baseline's test mean squared error and overlap E[f y]/E[y²], both
    /// estimated on the test points.
    public var gaussianProcessError: Double
    public var gaussianProcessOverlap: Double
    public var seconds: Double

    public var final: FeatureOrderParameters? { snapshots.last?.order }
  }

  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError {
      ConfigurationError(key: key, message: message)
    }
    guard (1...4096).contains(dimension) else {
      throw fail("dimension", "must be in 1…4096, got \(dimension)")
    }
    guard (1...65_536).contains(width) else {
      throw fail("width", "must be in 1…65536, got \(width)")
    }
    guard (1...65_536).contains(samples) else {
      throw fail("samples", "must be in 1…65536, got \(samples)")
    }
    if let problem = target.problem { throw fail("target", problem) }
    guard temperature >= 0, temperature.isFinite else {
      throw fail("temperature", "must be a finite number ≥ 0, got \(temperature)")
    }
    guard stepScale > 0, stepScale < 2 else {
      throw fail("stepScale", "must be in (0, 2) (stable steps), got \(stepScale)")
    }
    guard (0...100_000_000).contains(steps) else {
      throw fail("steps", "must be in 0…100000000, got \(steps)")
    }
    guard recordEvery >= 1 else { throw fail("recordEvery", "must be ≥ 1, got \(recordEvery)") }
    guard (1...1_000_000).contains(testCount) else {
      throw fail("testCount", "must be in 1…1000000, got \(testCount)")
    }
  }

  /// The teacher direction, the training inputs and the test inputs.
  public func data() -> (teacher: [Double], train: Tensor<Double>, test: Tensor<Double>) {
    var random = SplittableRandom(seed: seed)
    let teacher = HighDimensional.unitVector(dimension: dimension, using: &random)
    let train = Tensor<Double>.randomNormal([samples, dimension], using: &random)
    let test = Tensor<Double>.randomNormal([testCount, dimension], using: &random)
    return (teacher, train, test)
  }

  /// The targets of the rows of `x`.
  func targets(_ x: Tensor<Double>, teacher: [Double]) -> [Double] {
    (0..<x.rows).map { row in
      var z = 0.0
      for i in 0..<dimension { z += teacher[i] * x.scalars[row * dimension + i] }
      return target.value(z)
    }
  }

  /// Trains and records; `nil` if `shouldStop` asked to stop first. `heartbeat` every 100 steps.
  public func run(
    shouldStop: () -> Bool = { false }, heartbeat: () -> Void = {}
  ) throws -> Result? {
    try validate()
    let clock = ContinuousClock()
    let start = clock.now
    let (teacher, train, test) = data()
    let y = targets(train, teacher: teacher)
    let testTargets = targets(test, teacher: teacher)
    let baseline = try gaussianProcess(train: train, y: y, test: test, testTargets: testTargets)

    var network = TwoLayerNetwork(
      inputs: dimension, width: width, activation: resolvedActivation, weightStd: 1, biasStd: 0,
      parameterisation: .standard, seed: networkSeed)
    let sampler = LangevinSampler(step: 1, temperature: temperature)
    var random = SplittableRandom(seed: networkSeed).derived("langevin")
    let (weightCount, n) = (width * dimension, width)
    let priorVariance: (Int) -> Double = { i in
      if i < weightCount { return 1 / Double(self.dimension) }
      if i < weightCount + n { return 0 }  // hidden biases: none
      if i < weightCount + 2 * n { return 1 / Double(self.width) }
      return 0  // output bias: none
    }
    var layerSteps = (hidden: 0.0, readout: 0.0)
    func setLayerSteps(_ k: Int) throws {
      var start = SplittableRandom(seed: networkSeed).derived("curvature").derived(k)
      let curvature = try network.layerCurvatures(train, seed: start.next())
      layerSteps = (
        stepScale / (curvature.hidden + temperature * Double(dimension)),
        stepScale / (curvature.readout + temperature * Double(width))
      )
    }
    var snapshots: [Snapshot] = []
    var diverged = false
    for k in 0...steps {
      if k % 100 == 0 {
        if shouldStop() { return nil }
        heartbeat()
      }
      var loss = 0.0
      let (_, gradient) = network.outputsAndGradient(train) { outputs in
        (0..<samples).map { i in
          loss += 0.5 * (outputs[i] - y[i]) * (outputs[i] - y[i])
          return outputs[i] - y[i]
        }
      }
      guard network.parameters.allSatisfy(\.isFinite), loss.isFinite else {
        diverged = true
        break
      }
      if k % recordEvery == 0 || k == steps {
        try setLayerSteps(k)
        guard layerSteps.hidden.isFinite, layerSteps.readout.isFinite else {
          diverged = true
          break
        }
        let sampled = FeatureOrderParameters(
          sampled: network, teacher: teacher, target: target, inputs: test)
        snapshots.append(
          Snapshot(
            step: k, trainLoss: loss / Double(samples),
            order: resolvedActivation == .erf
              ? FeatureOrderParameters(network: network, teacher: teacher, target: target)
              : sampled,
            hiddenStep: layerSteps.hidden, readoutStep: layerSteps.readout,
            sampledOverlap: sampled.overlap))
      }
      if k == steps { break }
      let (hiddenStep, readoutStep) = layerSteps
      sampler.update(
        &network.parameters, gradient: gradient, priorVariance: priorVariance,
        stepScale: { $0 < weightCount + n ? hiddenStep : readoutStep },
        using: &random)
    }
    return Result(
      snapshots: snapshots, diverged: diverged,
      gaussianProcessError: baseline.error, gaussianProcessOverlap: baseline.overlap,
      seconds: (clock.now - start).inSeconds)
  }

  /// NNGP regression with ridge T (noise variance T; minimum norm at T = 0): test mean squared
  /// error and overlap Σf y/Σy² on the test points.
  func gaussianProcess(
    train: Tensor<Double>, y: [Double], test: Tensor<Double>, testTargets: [Double]
  ) throws -> (error: Double, overlap: Double) {
    let kernel = NeuralKernel(activation: resolvedActivation, depth: 1, weightStd: 1, biasStd: 0)
    let gram = kernel.matrices(train).nngp
    let cross = kernel.crossMatrices(test, train).nngp
    let coefficients = try solveKernelRidge(
      gram, Tensor(shape: [samples, 1], scalars: y), ridge: temperature)
    let predictions = matmul(cross, coefficients).scalars
    var (error, fy, yy) = (0.0, 0.0, 0.0)
    for (f, t) in zip(predictions, testTargets) {
      error += (f - t) * (f - t)
      fy += f * t
      yy += t * t
    }
    return (error / Double(testTargets.count), yy > 0 ? fy / yy : .nan)
  }
}

import Data
import Foundation
import Statistics
import Tensors
import Theory

/// One independent draw of the kernel half of the scaling protocol (SPEC §7 protocol 6): one
/// data set (one teacher, data seed `seed`) of `spectrumPoints + testCount` points, on which
///
/// - the NNGP and NTK matrices of the first `spectrumPoints` points give the spectra
///   (``KernelSpectrum``: η = eig(K)/M, v² = (uᵀy)²/M) and the theory's learning curve
///   (``KernelLearningCurve``, ridge `ridge`) at each P of `samples`;
/// - kernel ridge regression, `f(x) = k(x, X)ᵀ(K + λI)⁻¹y` (Cholesky, LAPACK `dposv`), on the
///   first P points is measured on the last `testCount` points (never trained on);
/// - the same without ridge (``RidgelessCurve``): the minimum-norm interpolant `k(x, X)ᵀK⁺y`
///   and the theory at λ = 0, when `ridge` is positive.
///
/// Theory and measurement share the teacher: the target is a property of the draw, and a
/// theory curve from one draw's teacher differs from another's by far more than the
/// measurement's noise (a linear teacher's weight on a mode is one Gaussian number). The
/// protocol's bands are over draws, for the theory and the measurement alike.
public struct KernelCurveDraw: Codable, Sendable, Equatable {
  /// The data; its seed is replaced by ``seed``.
  public var data: DataConfiguration
  public var network: NeuralKernel
  public var samples: [Int]
  public var spectrumPoints: Int
  public var testCount: Int
  /// λ of `(K + λI)α = y`, the Gram matrix not divided by P (the theory's λ).
  public var ridge: Double
  /// The data seed of this draw.
  public var seed: UInt64

  public init(
    data: DataConfiguration, network: NeuralKernel, samples: [Int], spectrumPoints: Int,
    testCount: Int, ridge: Double, seed: UInt64
  ) {
    self.data = data
    self.network = network
    self.samples = samples
    self.spectrumPoints = spectrumPoints
    self.testCount = testCount
    self.ridge = ridge
    self.seed = seed
  }

  /// One kernel's part of a draw.
  public struct KernelResult: Codable, Sendable, Equatable {
    /// Modes (1-based) at which the spectrum is kept: about 200, log-spaced.
    public var modes: [Int]
    public var eigenvalues: [Double]
    public var targetPower: [Double]
    /// b of η_k ∝ k^−b and a of v_k² ∝ k^−a over the fitted modes (NaN if unfittable).
    public var eigenvalueExponent: Double
    public var targetExponent: Double
    public var theory: [KernelLearningCurve.Point]
    /// Measured test mean squared error at each P of ``samples``.
    public var measured: [Double]
    /// The same curves without ridge (nil when the draw's ridge is already 0, and in results
    /// recorded before they were measured).
    public var ridgeless: RidgelessCurve?
  }

  /// Kernel regression and the theory at λ = 0 on the same draw: the measured error of the
  /// minimum-norm interpolant `k(x, X)ᵀK⁺y` (``Tensors/solveMinimumNorm(_:_:)``) and the theory's curve with κ = κ Σ_k η_k/(Pη_k + κ).
  public struct RidgelessCurve: Codable, Sendable, Equatable {
    public var theory: [KernelLearningCurve.Point]
    public var measured: [Double]
  }

  public struct Result: Codable, Sendable, Equatable {
    public var fittedModes: [Int]
    public var nngp: KernelResult
    public var ntk: KernelResult
    /// Variance of the test targets (the error of predicting 0).
    public var targetVariance: Double
  }

  /// The modes the exponents are fitted over: 2…M/8 (see ``KernelAnalysis``).
  public var fittedModes: ClosedRange<Int> { 2...max(3, spectrumPoints / 8) }

  /// Throws ``ConfigurationError`` naming the key of a value that cannot be used.
  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError {
      ConfigurationError(key: key, message: message)
    }
    guard !samples.isEmpty, samples.allSatisfy({ $0 >= 1 && $0 <= spectrumPoints }) else {
      throw fail(
        "samples",
        "must be training-set sizes in 1…spectrumPoints (\(spectrumPoints)), got \(samples)")
    }
    guard (8...65_536).contains(spectrumPoints) else {
      throw fail("spectrumPoints", "must be in 8…65536, got \(spectrumPoints)")
    }
    guard (1...1_000_000).contains(testCount) else {
      throw fail("testCount", "must be in 1…1000000, got \(testCount)")
    }
    guard ridge >= 0, ridge.isFinite else {
      throw fail("ridge", "must be a finite number ≥ 0, got \(ridge)")
    }
    guard (0...64).contains(network.depth) else {
      throw fail("network.depth", "must be in 0…64, got \(network.depth)")
    }
    guard network.weightStd > 0, network.weightStd.isFinite, network.biasStd >= 0,
      network.biasStd.isFinite
    else {
      throw fail("network.weightStd", "σ_w must be positive and σ_b ≥ 0, both finite")
    }
  }

  /// Runs the draw; kernel matrices on `jobs` threads.
  public func run(jobs: Int) throws -> Result {
    try validate()
    let points = try ScalingData(
      data, seed: seed, spectrumPoints: spectrumPoints, testCount: testCount)
    let targets = points.targets
    let m = spectrumPoints
    let train = points.rows(0..<m)
    let test = points.rows(points.inputs.rows - testCount..<points.inputs.rows)
    let testTargets = Array(targets.suffix(testCount))
    let matrices = network.matrices(train, jobs: jobs)
    try network.checkFinite(matrices)
    let cross = network.crossMatrices(test, train, jobs: jobs)
    let kept = KernelCurveDraw.keptModes(m)
    func part(_ gram: Tensor<Double>, _ crossGram: Tensor<Double>) throws -> KernelResult {
      let spectrum = try KernelSpectrum(kernel: gram, targets: Array(targets[0..<m]))
      func curves(ridge: Double) throws -> (theory: [KernelLearningCurve.Point], measured: [Double])
      {
        let theory = KernelLearningCurve(
          eigenvalues: spectrum.eigenvalues.map { max($0, 0) }, targetPower: spectrum.targetPower,
          ridge: ridge)
        let measured = try samples.map { p in
          try KernelCurveDraw.testError(
            gram: gram, cross: crossGram, targets: targets, testTargets: testTargets, samples: p,
            ridge: ridge)
        }
        return (samples.map { theory.point(samples: Double($0)) }, measured)
      }
      let withRidge = try curves(ridge: ridge)
      let withoutRidge = ridge > 0 ? try curves(ridge: 0) : nil
      return KernelResult(
        modes: kept, eigenvalues: kept.map { spectrum.eigenvalues[$0 - 1] },
        targetPower: kept.map { spectrum.targetPower[$0 - 1] },
        eigenvalueExponent: spectrum.eigenvalueExponent(modes: fittedModes) ?? .nan,
        targetExponent: spectrum.targetExponent(modes: fittedModes) ?? .nan,
        theory: withRidge.theory, measured: withRidge.measured,
        ridgeless: withoutRidge.map { RidgelessCurve(theory: $0.theory, measured: $0.measured) })
    }
    let mean = testTargets.reduce(0, +) / Double(testCount)
    return Result(
      fittedModes: [fittedModes.lowerBound, fittedModes.upperBound],
      nngp: try part(matrices.nngp, cross.nngp), ntk: try part(matrices.ntk, cross.ntk),
      targetVariance: testTargets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(testCount)
    )
  }

  /// Test mean squared error of kernel ridge regression trained on the first `samples` rows of
  /// `gram` (whose leading block is their Gram matrix), predicting through `cross` (test × M).
  /// With ridge 0 the coefficients are the minimum-norm solution `K⁺y` (``solveKernelRidge``).
  static func testError(
    gram: Tensor<Double>, cross: Tensor<Double>, targets: [Double], testTargets: [Double],
    samples p: Int, ridge: Double
  ) throws -> Double {
    let block = leadingColumns(gram, rows: p, columns: p)
    let y = Tensor(shape: [p, 1], scalars: Array(targets[0..<p]))
    let coefficients = try solveKernelRidge(block, y, ridge: ridge)
    let predictions = matmul(leadingColumns(cross, rows: cross.rows, columns: p), coefficients)
    var error = 0.0
    for (prediction, target) in zip(predictions.scalars, testTargets) {
      error += (prediction - target) * (prediction - target)
    }
    return error / Double(cross.rows)
  }

  /// The first `rows` rows and `columns` columns of a matrix, as a new matrix.
  static func leadingColumns(_ matrix: Tensor<Double>, rows: Int, columns: Int) -> Tensor<Double> {
    let stride = matrix.columns
    return matrix.withUnsafeBufferPointer { source in
      var scalars = [Double]()
      scalars.reserveCapacity(rows * columns)
      for r in 0..<rows {
        scalars.append(contentsOf: source[(r * stride)..<(r * stride + columns)])
      }
      return Tensor(shape: [rows, columns], scalars: scalars)
    }
  }

  /// About 200 log-spaced modes of M (every mode up to 100).
  static func keptModes(_ m: Int) -> [Int] {
    var modes = Array(1...min(m, 100))
    if m > 100 {
      let ratio = pow(Double(m) / 100, 1.0 / 100)
      var k = 100.0
      while modes.count < 200 {
        k *= ratio
        let mode = min(m, Int(k.rounded()))
        if mode > modes.last! { modes.append(mode) }
        if mode == m { break }
      }
      if modes.last! != m { modes.append(m) }
    }
    return modes
  }

  /// The inputs (as doubles) and real targets of a generated data set: regression values, or
  /// ±1 for two classes.
  public static func points(_ configuration: DataConfiguration) throws -> (Tensor<Double>, [Double])
  {
    let dataset = try configuration.makeDataset()
    let inputs = Tensor(
      shape: dataset.inputs.shape, scalars: dataset.inputs.scalars.map(Double.init))
    switch dataset.targets {
    case .values(let values): return (inputs, values.scalars.map(Double.init))
    case .classes(let labels, _): return (inputs, labels.map { $0 == 0 ? -1 : 1 })
    }
  }
}

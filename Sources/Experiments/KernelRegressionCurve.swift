import Data
import Foundation
import Statistics
import Tensors
import Theory

/// The measured learning curve of kernel ridge regression with a network's NNGP or NTK: for
/// each training-set size P, `draws` independent data sets of P training and `testCount` test
/// points (data seeds `seed + 1000·draw + P`), the predictor `f(x) = k(x, X)ᵀ(K + λI)⁻¹y`
/// (Cholesky, LAPACK `dposv`) and its test mean squared error; mean and 95 % CI over draws.
/// λ is the ridge of the spectral theory (``KernelLearningCurve``) in the same units: the
/// Gram matrix is not divided by P.
public struct KernelRegressionCurve: Sendable {
  public enum Kernel: String, Sendable, CaseIterable {
    case nngp, ntk
  }

  public var data: DataConfiguration
  public var network: NeuralKernel
  public var kernel: Kernel
  public var samples: [Int]
  public var draws: Int
  public var testCount: Int
  public var ridge: Double

  public init(
    data: DataConfiguration, network: NeuralKernel, kernel: Kernel = .nngp, samples: [Int],
    draws: Int, testCount: Int, ridge: Double
  ) {
    self.data = data
    self.network = network
    self.kernel = kernel
    self.samples = samples
    self.draws = draws
    self.testCount = testCount
    self.ridge = ridge
  }

  /// The test error at each P of ``samples``.
  public func run(jobs: Int) throws -> [(samples: Int, error: MeanInterval)] {
    try samples.map { p in
      let errors = try (0..<draws).map { draw in
        var configuration = data
        configuration.count = p + testCount
        configuration.seed = data.seed &+ UInt64(1000 * draw + p)
        let (inputs, targets) = try KernelRegressionCurve.points(configuration)
        let d = inputs.columns
        let train = Tensor(shape: [p, d], scalars: Array(inputs.scalars[0..<(p * d)]))
        let test = Tensor(shape: [testCount, d], scalars: Array(inputs.scalars[(p * d)...]))
        let gram = network.matrices(train, jobs: jobs)
        var k = kernel == .nngp ? gram.nngp : gram.ntk
        for i in 0..<p { k[i, i] += ridge }
        let coefficients = try solvePositiveDefinite(
          k, Tensor(shape: [p, 1], scalars: Array(targets[0..<p])))
        let cross = network.crossMatrices(test, train, jobs: jobs)
        let predictions = matmul(kernel == .nngp ? cross.nngp : cross.ntk, coefficients).scalars
        return zip(predictions, targets[p...]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
          / Double(testCount)
      }
      return (p, MeanInterval(errors))
    }
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

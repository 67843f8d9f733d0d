import Foundation
import NN
import Tensors
import Theory

/// The kernel benchmark of `crit bench kernel` (beside bench/neural_kernels_bench.py): the NNGP
/// matrix of P Gaussian inputs (d columns, N(0, 1), seed 0) for a ReLU network of depth 3
/// (σ_w = √2, σ_b = 0.1; neural-tangents' conventions) and its full eigendecomposition
/// (LAPACK `dsyevd`, eigenvalues and eigenvectors), each timed. The kernel entries are split
/// over `threads` threads; the caller sets the BLAS threads LAPACK runs on.
public enum KernelBenchmark {
  public struct Result: Encodable, Sendable {
    public var implementation = "crit"
    public var points: Int
    public var dimension: Int
    public var threads: Int
    public var kernelSeconds: Double
    public var eighSeconds: Double
    public var totalSeconds: Double
    /// The largest eigenvalue and the trace, to compare with the peer's.
    public var largestEigenvalue: Double
    public var trace: Double

    enum CodingKeys: String, CodingKey {
      case implementation, points, dimension, threads
      case kernelSeconds = "kernel_seconds"
      case eighSeconds = "eigh_seconds"
      case totalSeconds = "total_seconds"
      case largestEigenvalue = "largest_eigenvalue"
      case trace
    }
  }

  public static let network = NeuralKernel(
    activation: .relu, depth: 3, weightStd: 2.0.squareRoot(), biasStd: 0.1)

  public static func run(points: Int, dimension: Int, threads: Int) throws -> Result {
    var random = SplittableRandom(seed: 0)
    let inputs = Tensor<Double>.randomNormal([points, dimension], using: &random)
    let clock = ContinuousClock()
    let start = clock.now
    let kernel = network.matrices(inputs, jobs: threads).nngp
    let built = clock.now
    let decomposition = try symmetricEigendecomposition(kernel)
    let end = clock.now
    return Result(
      points: points, dimension: dimension, threads: threads,
      kernelSeconds: (built - start).inSeconds, eighSeconds: (end - built).inSeconds,
      totalSeconds: (end - start).inSeconds,
      largestEigenvalue: decomposition.eigenvalues.last ?? .nan,
      trace: (0..<points).reduce(0) { $0 + kernel[$1, $1] })
  }
}

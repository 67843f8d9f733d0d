import Foundation
import NN
import Tensors
import Theory

/// The kernel benchmark of `crit bench kernel` (beside bench/neural_kernels_bench.py): the NNGP
/// matrix of P Gaussian inputs (d columns, N(0, 1), seed 0) for a ReLU network of depth 3
/// (σ_w = √2, σ_b = 0.1; neural-tangents' conventions) and its full eigendecomposition
/// (LAPACK `dsyevd`, eigenvalues and eigenvectors), each timed; then what the scaling analysis
/// needs of it, the eigenvalues and a target's squared projections on the eigenvectors
/// (``symmetricEigenvaluesAndProjections(_:projecting:)``, no eigenvectors formed; the target a
/// standard normal vector, seed 1), timed on its own. The kernel entries are split over
/// `threads` threads; the caller sets the BLAS threads LAPACK runs on.
public enum KernelBenchmark {
  public struct Result: Encodable, Sendable {
    public var implementation = "crit"
    public var points: Int
    public var dimension: Int
    public var threads: Int
    public var kernelSeconds: Double
    public var eighSeconds: Double
    public var totalSeconds: Double
    /// Eigenvalues and the target's squared projections without eigenvectors.
    public var spectrumSeconds: Double
    /// The kernel matrix and the spectrum with projections.
    public var spectrumTotalSeconds: Double
    /// The largest eigenvalue and the trace, to compare with the peer's.
    public var largestEigenvalue: Double
    public var trace: Double
    /// The largest difference between the two routes' squared projections, over ‖y‖².
    public var largestDifference: Double

    enum CodingKeys: String, CodingKey {
      case implementation, points, dimension, threads
      case kernelSeconds = "kernel_seconds"
      case eighSeconds = "eigh_seconds"
      case totalSeconds = "total_seconds"
      case spectrumSeconds = "spectrum_seconds"
      case spectrumTotalSeconds = "spectrum_total_seconds"
      case largestDifference = "largest_projection_difference"
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
    var targetRandom = SplittableRandom(seed: 1)
    let target = Tensor<Double>.randomNormal([points], using: &targetRandom).scalars
    let spectrumStart = clock.now
    let spectrum = try symmetricEigenvaluesAndProjections(kernel, projecting: target)
    let spectrumEnd = clock.now
    let projections = matmul(
      decomposition.eigenvectors, Tensor(shape: [points, 1], scalars: target), transposeA: true)
    let squaredNorm = target.reduce(0) { $0 + $1 * $1 }
    let difference = zip(projections.scalars, spectrum.squaredProjections).reduce(0.0) {
      max($0, abs($1.0 * $1.0 - $1.1))
    }
    return Result(
      points: points, dimension: dimension, threads: threads,
      kernelSeconds: (built - start).inSeconds, eighSeconds: (end - built).inSeconds,
      totalSeconds: (end - start).inSeconds,
      spectrumSeconds: (spectrumEnd - spectrumStart).inSeconds,
      spectrumTotalSeconds: ((built - start) + (spectrumEnd - spectrumStart)).inSeconds,
      largestEigenvalue: decomposition.eigenvalues.last ?? .nan,
      trace: (0..<points).reduce(0) { $0 + kernel[$1, $1] },
      largestDifference: difference / squaredNorm)
  }
}

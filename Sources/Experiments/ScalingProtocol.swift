import Data
import NN
import Theory

/// SPEC §7 protocol 6, `scaling`: where scaling laws come from. On power-law Gaussian data with
/// a linear teacher (the target's power decays like the input spectrum), for a two-layer erf
/// network's kernels (neural-tangents' conventions, ``NeuralKernel`` of depth 1; σ_w = 3 puts
/// the pre-activations, of variance ≈ 9 · 0.026 on this data, where erf bends):
///
/// 1. kernel draws (``KernelCurveDraw``): per draw one teacher and data set; the NNGP and NTK
///    spectra and their exponents b and a; the spectral theory's curve and κ(P); kernel ridge
///    regression's measured test error on the P grid;
/// 2. trained networks (``NetworkCurveRun``) of several widths on the first draws' data, on a
///    P grid, centred and trained to convergence, beside NTK regression on the same points.
///
/// The ridge λ = 10⁻³ (Gram matrix not divided by P) is near-ridgeless on this data (the
/// theory's curve at λ = 10⁻⁴ or 10⁻⁶ differs by < 25 % at P = 1024) and keeps the networks'
/// condition number within reach of a few thousand accelerated steps. The activation is erf,
/// not ReLU: with ReLU's kinks the gradient norm of a finite network stalls near 10⁻³ of its
/// initial value while the loss has settled (units cross their kinks), so a gradient
/// tolerance is never met; erf networks reach 10⁻⁵ in about 2000 steps at P = 256.
public struct ScalingProtocol: Codable, Sendable, Equatable {
  public var name: String
  public var data: DataConfiguration
  public var activation: Activation
  public var weightStd: Double
  public var biasStd: Double
  public var samples: [Int]
  public var spectrumPoints: Int
  public var testCount: Int
  public var ridge: Double
  public var draws: Int
  public var widths: [Int]
  public var networkSamples: [Int]
  /// Networks are trained on the first `networkDraws` draws' data.
  public var networkDraws: Int
  public var maximumSteps: Int
  public var tolerance: Double

  public var kernel: NeuralKernel {
    NeuralKernel(activation: activation, depth: 1, weightStd: weightStd, biasStd: biasStd)
  }

  static let baseData = DataConfiguration(
    kind: .powerLaw, count: 0, dimension: 64, alpha: 1, task: .regression, seed: 0)

  /// The full protocol: P = 16 … 4096 (spectra of M = 8192 points, 8 draws, 2000 test points);
  /// networks of width 64, 256 and 1024 at P = 16 … 1024 on 4 draws (width 4096 would take
  /// about an hour more on two cores: its elementwise erf work alone is ~80 ms a step at P = 1024).
  public static func full() -> ScalingProtocol {
    ScalingProtocol(
      name: "scaling", data: baseData, activation: .erf, weightStd: 3,
      biasStd: 0.1, samples: (4...12).map { 1 << $0 }, spectrumPoints: 8192, testCount: 2000,
      ridge: 1e-3, draws: 8, widths: [64, 256, 1024],
      networkSamples: (4...10).map { 1 << $0 },
      networkDraws: 4, maximumSteps: 20_000, tolerance: 1e-5)
  }

  /// A few-minute version: P = 16 … 256 (M = 2048, 6 draws, 500 test points); widths 64 and 512
  /// at P = 16 … 256 on 3 draws.
  public static func quick() -> ScalingProtocol {
    ScalingProtocol(
      name: "scaling-quick", data: baseData, activation: .erf, weightStd: 3,
      biasStd: 0.1, samples: (4...8).map { 1 << $0 }, spectrumPoints: 2048, testCount: 500,
      ridge: 1e-3, draws: 6, widths: [64, 512], networkSamples: (4...8).map { 1 << $0 },
      networkDraws: 3, maximumSteps: 20_000, tolerance: 1e-5)
  }

  /// The data seed of draw `k`.
  public func seed(draw k: Int) -> UInt64 { data.seed &+ UInt64(k) }

  /// One kernel draw per data seed.
  public var kernelDraws: [KernelCurveDraw] {
    (0..<draws).map { k in
      KernelCurveDraw(
        data: data, network: kernel, samples: samples, spectrumPoints: spectrumPoints,
        testCount: testCount, ridge: ridge, seed: seed(draw: k))
    }
  }

  /// Every network: width × draw × P, the initialisation seeded by the draw.
  public var networkRuns: [NetworkCurveRun] {
    widths.flatMap { width in
      (0..<networkDraws).flatMap { k in
        networkSamples.map { p in
          NetworkCurveRun(
            data: data, activation: activation, weightStd: weightStd, biasStd: biasStd,
            width: width, samples: p, spectrumPoints: spectrumPoints, testCount: testCount,
            ridge: ridge, maximumSteps: maximumSteps, tolerance: tolerance, seed: seed(draw: k),
            networkSeed: 1000 &+ UInt64(k))
        }
      }
    }
  }

  /// The memory one kernel draw holds at once: the input Gram matrix, the two kernels, an
  /// eigendecomposition's workspace and the cross matrices (about 6 M² doubles).
  public var estimatedBytesPerDraw: Double {
    8
      * (6 * Double(spectrumPoints) * Double(spectrumPoints)
        + 2 * Double(testCount) * Double(spectrumPoints))
  }
}

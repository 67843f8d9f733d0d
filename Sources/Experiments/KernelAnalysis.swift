import Data
import Foundation
import Statistics
import Tensors
import Theory

/// The kernels of a network on a data set, as `crit theory kernel` shows them: the NNGP and
/// NTK matrices (``NeuralKernel``) on P generated points, their spectra and the target's power
/// per mode (``KernelSpectrum``), the exponents b (η_k ∝ k^−b) and a (v_k² ∝ k^−a), the
/// learning-curve exponent they predict, min(a − 1, 2b) (Spigler, Geiger & Wyart 2020;
/// Bordelon, Canatar & Pehlevan 2020), and the spectral theory's learning curve
/// (``KernelLearningCurve``) from the measured spectrum. Each of `draws` independent data
/// sets (data seeds `seed`, `seed + 1`, …) gives one value of each exponent; the intervals
/// are over draws.
public struct KernelAnalysis: Sendable {
  public var data: DataConfiguration
  public var kernel: NeuralKernel
  public var draws: Int
  /// The modes the exponents are fitted over (1-based); `nil`: 2…P/8.
  public var modes: ClosedRange<Int>?

  public init(
    data: DataConfiguration, kernel: NeuralKernel, draws: Int, modes: ClosedRange<Int>? = nil
  ) {
    self.data = data
    self.kernel = kernel
    self.draws = draws
    self.modes = modes
  }

  /// One kernel's exponents, mean and 95 % CI over draws.
  public struct Exponents: Sendable {
    public var eigenvalues: MeanInterval
    public var target: MeanInterval
    public var predicted: MeanInterval
  }

  public struct Result: Sendable {
    public var points: Int
    public var modes: ClosedRange<Int>
    public var nngp: Exponents
    public var ntk: Exponents
    /// The first draw's spectra.
    public var nngpSpectrum: KernelSpectrum
    public var ntkSpectrum: KernelSpectrum
    /// The theory's test error at P′ = 16, 32, … below P, from the first draw's spectra.
    public var nngpCurve: [KernelLearningCurve.Point]
    public var ntkCurve: [KernelLearningCurve.Point]
    public var seconds: Double
  }

  /// The memory the analysis holds at once: the input Gram matrix, the two kernels and the
  /// eigenvectors of one (P² doubles each).
  public var estimatedBytes: Double { 4 * 8 * Double(data.count) * Double(data.count) }

  /// Runs the analysis; kernel matrices on `jobs` threads.
  public func run(jobs: Int) throws -> Result {
    let clock = ContinuousClock()
    let start = clock.now
    var results: [(nngp: KernelSpectrum, ntk: KernelSpectrum)] = []
    for draw in 0..<draws {
      var configuration = data
      configuration.seed = data.seed &+ UInt64(draw)
      let (inputs, targets) = try KernelCurveDraw.points(configuration)
      let matrices = kernel.matrices(inputs, jobs: jobs)
      try kernel.checkFinite(matrices, key: "kernel")
      results.append(
        (
          try KernelSpectrum(kernel: matrices.nngp, targets: targets),
          try KernelSpectrum(kernel: matrices.ntk, targets: targets)
        ))
    }
    let p = data.count
    let fitted = modes ?? 2...max(3, p / 8)
    func exponents(_ spectra: [KernelSpectrum]) -> Exponents {
      let b = spectra.map { $0.eigenvalueExponent(modes: fitted) ?? .nan }
      let a = spectra.map { $0.targetExponent(modes: fitted) ?? .nan }
      return Exponents(
        eigenvalues: MeanInterval(b), target: MeanInterval(a),
        predicted: MeanInterval(zip(a, b).map { min($0 - 1, 2 * $1) }))
    }
    let grid = sequence(first: 16.0) { $0 * 2 }.prefix { $0 < Double(p) }
    func curve(_ spectrum: KernelSpectrum) -> [KernelLearningCurve.Point] {
      let theory = KernelLearningCurve(
        eigenvalues: spectrum.eigenvalues.map { max($0, 0) }, targetPower: spectrum.targetPower)
      return grid.map { theory.point(samples: $0) }
    }
    return Result(
      points: p, modes: fitted, nngp: exponents(results.map(\.nngp)),
      ntk: exponents(results.map(\.ntk)), nngpSpectrum: results[0].nngp,
      ntkSpectrum: results[0].ntk, nngpCurve: curve(results[0].nngp),
      ntkCurve: curve(results[0].ntk), seconds: (clock.now - start).inSeconds)
  }
}

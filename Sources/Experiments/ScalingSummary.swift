import Foundation
import Statistics
import Theory

/// What the scaling protocol found (``ScalingProtocol``), computed from its finished runs: the
/// learning curves with 95 % intervals over draws, their fits a·P^−β + c with bootstrap
/// intervals (``LearningCurveFit``), the exponents b, a and min(a − 1, 2b), the finite-width
/// deviation from the kernel limit against P and width, and where the measured kernel curve
/// stays inside the theory's band.
public struct ScalingSummary: Sendable {
  public let definition: ScalingProtocol
  public let draws: [KernelCurveDraw.Result]
  public let networks: [(run: NetworkCurveRun, result: NetworkCurveRun.Result)]
  /// Each width's network curves (``WidthCurves``), in the order of the protocol's widths.
  public private(set) var widths: [WidthCurves] = []
  /// The exponent table (see ``exponentTable()``), computed once: its bootstrap fits take a
  /// moment.
  public private(set) var exponentRows: [ExponentRow] = []

  public init(
    definition: ScalingProtocol, draws: [KernelCurveDraw.Result],
    networks: [(run: NetworkCurveRun, result: NetworkCurveRun.Result)]
  ) {
    self.definition = definition
    self.draws = draws
    self.networks = networks
    widths = widthCurves()
    exponentRows = exponentTable()
  }

  public enum Kernel: String, CaseIterable, Sendable {
    case nngp = "NNGP"
    case ntk = "NTK"

    public var path: KeyPath<KernelCurveDraw.Result, KernelCurveDraw.KernelResult> {
      self == .nngp ? \.nngp : \.ntk
    }
  }

  /// One kernel's curves on the P grid, each a mean with its 95 % interval over draws.
  public struct KernelCurves: Sendable {
    public var measured: [MeanInterval]
    public var theory: [MeanInterval]
    public var kappa: [MeanInterval]
    /// Paired measured/theory per draw.
    public var ratio: [MeanInterval]
    /// Whether the measured and theory intervals overlap at each P.
    public var inBand: [Bool]
  }

  public func curves(_ kernel: Kernel) -> KernelCurves {
    let parts = draws.map { $0[keyPath: kernel.path] }
    return curves(measured: parts.map(\.measured), theory: parts.map(\.theory))
  }

  /// The same curves without ridge (λ = 0), or nil when a draw has none (a protocol whose
  /// ridge is already 0, or results recorded before ridgeless curves were measured).
  public func ridgelessCurves(_ kernel: Kernel) -> KernelCurves? {
    let parts = draws.compactMap { $0[keyPath: kernel.path].ridgeless }
    guard !parts.isEmpty, parts.count == draws.count else { return nil }
    return curves(measured: parts.map(\.measured), theory: parts.map(\.theory))
  }

  /// Means and intervals over draws of per-draw measured errors and theory points on the P grid.
  func curves(measured drawMeasured: [[Double]], theory drawTheory: [[KernelLearningCurve.Point]])
    -> KernelCurves
  {
    let indices = definition.samples.indices
    let measured = indices.map { i in MeanInterval(drawMeasured.map { $0[i] }) }
    let theory = indices.map { i in MeanInterval(drawTheory.map { $0[i].error }) }
    return KernelCurves(
      measured: measured, theory: theory,
      kappa: indices.map { i in MeanInterval(drawTheory.map { $0[i].kappa }) },
      ratio: indices.map { i in
        MeanInterval(zip(drawMeasured, drawTheory).map { $0[i] / $1[i].error })
      },
      inBand: indices.map { i in
        abs(measured[i].mean - theory[i].mean)
          <= (measured[i].halfWidth.isNaN ? 0 : measured[i].halfWidth)
          + (theory[i].halfWidth.isNaN ? 0 : theory[i].halfWidth)
      })
  }

  /// The P range, from the first P ≥ 64, over which the measured curve stays in the theory's
  /// band: its first and last P, and the first P beyond it where it leaves (nil: to the end).
  public func bandRange(_ kernel: Kernel, ridgeless: Bool = false) -> (
    from: Int, to: Int, leavesAt: Int?
  )? {
    guard let band = (ridgeless ? ridgelessCurves(kernel) : curves(kernel))?.inBand else {
      return nil
    }
    guard let first = definition.samples.firstIndex(where: { $0 >= 64 }), band[first] else {
      return nil
    }
    var last = first
    while last + 1 < band.count && band[last + 1] { last += 1 }
    return (
      definition.samples[first], definition.samples[last],
      last + 1 < band.count ? definition.samples[last + 1] : nil
    )
  }

  /// Exponents of one kernel's spectrum, mean and 95 % interval over draws.
  public func exponents(_ kernel: Kernel) -> (
    eigenvalues: MeanInterval, target: MeanInterval, predicted: MeanInterval
  ) {
    let parts = draws.map { $0[keyPath: kernel.path] }
    return (
      MeanInterval(parts.map(\.eigenvalueExponent)), MeanInterval(parts.map(\.targetExponent)),
      MeanInterval(parts.map { min($0.targetExponent - 1, 2 * $0.eigenvalueExponent) })
    )
  }

  /// The curve of each draw over the P grid (without ridge: empty where a draw has none).
  public func drawCurves(_ kernel: Kernel, theory: Bool, ridgeless: Bool = false) -> [[Double]] {
    draws.compactMap { draw in
      let part = draw[keyPath: kernel.path]
      if ridgeless {
        guard let curve = part.ridgeless else { return nil }
        return theory ? curve.theory.map(\.error) : curve.measured
      }
      return theory ? part.theory.map(\.error) : part.measured
    }
  }

  /// Fit with bootstrap intervals over draws (1000 resamples, seed 0).
  public func fit(curves: [[Double]], samples: [Int]) -> LearningCurveFit.Bootstrapped? {
    LearningCurveFit.bootstrap(
      curves: curves, samples: samples.map(Double.init), resamples: 1000, seed: 0)
  }

  /// A network width's results: per P, test error, NTK error and paired relative deviation over
  /// draws; the runs that did not converge.
  public struct WidthCurves: Sendable {
    public var width: Int
    public var testError: [MeanInterval]
    public var kernelError: [MeanInterval]
    public var deviation: [MeanInterval]
    /// |deviation|, whose mean says how far the curve is whatever the sign.
    public var absoluteDeviation: [MeanInterval]
    public var unconverged: Int
    /// Each draw's test errors over the network P grid (NaN where missing).
    public var drawCurves: [[Double]]
  }

  func widthCurves() -> [WidthCurves] {
    definition.widths.map { width in
      let runs = networks.filter { $0.run.width == width }
      let seeds = Array(Set(runs.map(\.run.seed))).sorted()
      func values(_ p: Int, _ value: (NetworkCurveRun.Result) -> Double) -> [Double] {
        runs.filter { $0.run.samples == p }.map { value($0.result) }
      }
      return WidthCurves(
        width: width,
        testError: definition.networkSamples.map { MeanInterval(values($0, \.testError)) },
        kernelError: definition.networkSamples.map { MeanInterval(values($0, \.kernelError)) },
        deviation: definition.networkSamples.map { MeanInterval(values($0, \.relativeDeviation)) },
        absoluteDeviation: definition.networkSamples.map {
          MeanInterval(values($0) { abs($0.relativeDeviation) })
        },
        unconverged: runs.filter { !$0.result.converged }.count,
        drawCurves: seeds.map { seed in
          definition.networkSamples.map { p in
            runs.first { $0.run.seed == seed && $0.run.samples == p }?.result.testError ?? .nan
          }
        })
    }
  }

  /// How the mean |deviation| changes from the smallest to the largest P of the network grid:
  /// the log–log slope of mean |deviation| against P, and whether the intervals at the two ends
  /// are apart.
  public enum Trend: String, Sendable {
    case shrinks = "shrinks"
    case grows = "grows"
    case unclear = "shows no clear trend"
  }

  public func trend(_ curves: WidthCurves) -> (slope: Double, trend: Trend) {
    let points = zip(definition.networkSamples, curves.absoluteDeviation).compactMap {
      p, d -> (Double, Double)? in
      d.mean > 0 && d.mean.isFinite ? (log(Double(p)), log(d.mean)) : nil
    }
    let slope = leastSquaresSlope(points)
    guard let first = curves.absoluteDeviation.first, let last = curves.absoluteDeviation.last,
      first.count >= 2, last.count >= 2
    else { return (slope, .unclear) }
    if last.upper < first.lower { return (slope, .shrinks) }
    if last.lower > first.upper { return (slope, .grows) }
    return (slope, .unclear)
  }

  func leastSquaresSlope(_ points: [(Double, Double)]) -> Double {
    guard points.count >= 2 else { return .nan }
    let n = Double(points.count)
    let mx = points.reduce(0) { $0 + $1.0 } / n
    let my = points.reduce(0) { $0 + $1.1 } / n
    let sxy = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
    return sxx > 0 ? sxy / sxx : .nan
  }

  /// One row of the exponent table: a curve's β (with its interval) over its P range.
  public struct ExponentRow: Sendable {
    public var name: String
    public var exponent: Double
    public var lower: Double
    public var upper: Double
    public var samples: ClosedRange<Int>
  }

  /// β of the networks (per width), of kernel regression and of the theory curve (per kernel,
  /// with ridge and, where measured, without), and min(a − 1, 2b) from the spectra (mean and
  /// 95 % interval over draws).
  func exponentTable() -> [ExponentRow] {
    var rows: [ExponentRow] = []
    let grid = definition.samples.first!...definition.samples.last!
    for width in widths {
      if let fit = fit(curves: width.drawCurves, samples: definition.networkSamples) {
        rows.append(
          ExponentRow(
            name: "network, width \(width.width)", exponent: fit.fit.exponent,
            lower: fit.exponent.lower, upper: fit.exponent.upper,
            samples: definition.networkSamples.first!...definition.networkSamples.last!))
      }
    }
    for kernel in Kernel.allCases {
      for ridgeless in [false, true] {
        for theory in [false, true] {
          let curves = drawCurves(kernel, theory: theory, ridgeless: ridgeless)
          guard !curves.isEmpty, let fit = fit(curves: curves, samples: definition.samples)
          else { continue }
          rows.append(
            ExponentRow(
              name:
                "\(kernel.rawValue) \(theory ? "theory" : "regression")\(ridgeless ? ", λ = 0" : "")",
              exponent: fit.fit.exponent, lower: fit.exponent.lower, upper: fit.exponent.upper,
              samples: grid))
        }
      }
      let predicted = exponents(kernel).predicted
      rows.append(
        ExponentRow(
          name: "\(kernel.rawValue) min(a − 1, 2b)", exponent: predicted.mean,
          lower: predicted.lower, upper: predicted.upper, samples: grid))
    }
    return rows
  }
}

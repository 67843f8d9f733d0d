import Foundation
import Runner
import Statistics
import Tensors

/// How `crit analyze` fits the power-law tail of an ESD.
///
/// - `weightwatcher` (the default): WeightWatcher 0.7.7's own fitter
///   (``WeightWatcherPowerLawFit``: every eigenvalue above 10⁻⁵ but the largest a candidate
///   x_min, the one-sided KS distance, a bias-corrected small-sample rule below 20 values), so
///   α, x_min and D equal the reference tool's.
/// - `clauset`: the method of Clauset, Shalizi & Newman (2009) (``PowerLawFit``: distinct
///   values leaving a tail of 10 as candidates, the two-sided KS distance), as the `powerlaw`
///   package fits.
public enum PowerLawFitMethod: String, Codable, CaseIterable, Sendable {
  case weightwatcher
  case clauset
}

/// Heavy-tailed self-regularization analysis of one weight matrix (Martin & Mahoney 2021,
/// *JMLR* 22(165)) with the quantities and conventions of WeightWatcher 0.7.7, the field's
/// reference tool, so that every number equals its `analyze(mp_fit=True, detX=True)`:
///
/// - eigenvalues: the squared singular values `λ_i = σ_i²` of `W` (LAPACK `dgesdd`, as SciPy
///   computes them), not divided by N; several matrices (the kernel positions of a convolution)
///   are pooled into one ESD;
/// - the power-law fit of the tail on the eigenvalues above 10⁻⁵ (``PowerLawFitMethod``), with
///   α, its standard error, x_min, the KS distance D, and the tail count (`num_pl_spikes`);
/// - norms over all eigenvalues: `log10 Σλ` (`log_norm`, the squared Frobenius norm),
///   `log10 λ_max`, `α·log10 λ_max` (α̂, `alpha_weighted`), `log10 Σ λ^α`, and the stable rank
///   `Σλ/λ_max`;
/// - the Marchenko–Pastur bulk fit and its spike count (``MarchenkoPasturFit``); N and M are
///   the layer's (for a convolution as WeightWatcher derives them);
/// - the trace-log condition: `Σ_{λ ≥ x_min} ln λ` over the tail, and WeightWatcher's `detX`
///   form of it: with the eigenvalues rescaled to mean 1, the number of top eigenvalues at
///   which their product first falls below 1 scanning down (`detX_num`; the product multiplied
///   as WeightWatcher's NumPy call multiplies it, see ``detX(_:)``) and the eigenvalue
///   where that happens (`detX_val`, in the original units). When the product never falls below
///   1, WeightWatcher reports all eigenvalues and the second smallest; so does this.
public struct LayerSpectrumAnalysis: Codable, Sendable {
  public var name: String
  public var shape: [Int]
  /// N ≥ M of the analysed matrices (for a convolution, WeightWatcher's N and M).
  public var rows: Int
  public var columns: Int
  public var matrices: Int
  public var fitMethod: PowerLawFitMethod
  public var eigenvalues: [Double]
  public var lambdaMax: Double
  public var stableRank: Double
  /// `log10 Σλ` (WeightWatcher's `log_norm`).
  public var logFrobeniusNorm: Double
  public var logSpectralNorm: Double
  public var alpha: Double?
  public var alphaStandardError: Double?
  public var xMin: Double?
  public var ksDistance: Double?
  public var tailCount: Int?
  public var alphaWeighted: Double?
  public var logAlphaNorm: Double?
  /// Normalised log-likelihood ratio power law vs lognormal and its p-value.
  public var lognormalRatio: Double?
  public var lognormalPValue: Double?
  /// The fitted MP σ in rescaled units (WeightWatcher's `sigma_mp`).
  public var marchenkoPasturSigma: Double?
  /// The bulk edge λ₊ (WeightWatcher's `bulk_max`).
  public var marchenkoPasturEdge: Double?
  /// `λ₊/λ_max` in rescaled units (`mp_softrank`).
  public var mpSoftRank: Double?
  /// Eigenvalues above the edge plus the Tracy–Widom allowance (`num_spikes`).
  public var spikes: Int
  public var traceLog: Double?
  public var detXCount: Int
  public var detXValue: Double
  /// How the eigenvalues were computed: `svd` (squared singular values) or `gram` (eigenvalues
  /// of the Gram matrix, where ``SpectrumRoute/automatic`` found them settled).
  public var spectrum: SpectrumRoute?

  /// The eigenvalues below which the power-law fit leaves values out.
  public static let fitThreshold = 1e-5

  /// Analyses `matrices` (each `(a, b)`; all the same shape) as one layer. `dimensions` gives
  /// N and M for the Marchenko–Pastur fit when they are not the matrices' own (convolutions).
  /// `route` chooses how the eigenvalues are computed (``SpectrumRoute``); `jobs` threads share
  /// the blocks of a Gram matrix (the result does not depend on their number).
  public init(
    name: String, shape: [Int], matrices: [Tensor<Double>], fit: PowerLawFitMethod = .weightwatcher,
    dimensions: (n: Int, m: Int)? = nil, route: SpectrumRoute = .automatic, jobs: Int = 1
  ) throws {
    precondition(!matrices.isEmpty, "a layer needs at least one matrix")
    for w in matrices where !w.scalars.allSatisfy(\.isFinite) {
      throw SpectrumError("\(name): the weights hold NaN or infinite values; no spectrum")
    }
    let first = matrices[0]
    let (n, m) = dimensions ?? (max(first.rows, first.columns), min(first.rows, first.columns))
    if route.usesGram(smallerSide: min(first.rows, first.columns)) {
      var bound = 0.0
      var values: [Double] = []
      for w in matrices {
        let own = try gramEigenvalues(of: w) { count, body in
          _ = try? ParallelMap.run(Array(0..<count), jobs: max(1, jobs)) { _, block in body(block) }
        }
        bound = max(
          bound, gramEigenvalueErrorBound(rows: w.rows, columns: w.columns, eigenvalues: own))
        values += own
      }
      let analysis = try Self(
        name: name, shape: shape, count: matrices.count, n: n, m: m, fit: fit,
        sorted: values.sorted(), spectrum: .gram)
      if route == .gram || analysis.isSettled(withinError: bound) {
        self = analysis
        return
      }
    }
    var values: [Double] = []
    for w in matrices { values += try singularValuesOnly(of: w).map { $0 * $0 } }
    try self.init(
      name: name, shape: shape, count: matrices.count, n: n, m: m, fit: fit,
      sorted: values.sorted(), spectrum: .singularValues)
  }

  /// Whether every reported quantity is settled by eigenvalues known to within `error`
  /// (absolute) — to 10⁻⁷ relative, inside the 10⁻⁶ to which the comparison with WeightWatcher
  /// holds them:
  /// - the fitted x_min: α, its standard error, D, the tail count and trace-log are sums over
  ///   the eigenvalues at or above it, each then known to 10⁻⁷;
  /// - the eigenvalue at which detX stops (and it stops before the end, not in the fallback
  ///   branch that reports the second smallest eigenvalue);
  /// - the fit's method: eigenvalues within `error` of the 10⁻⁵ threshold only add or remove
  ///   candidates below x_min, unless they could move the count across the small-sample cutoff.
  /// Not covered: a KS minimum at x_min tied, to within the candidates' own perturbation, with
  /// a smaller candidate. The Marchenko–Pastur fit smooths the bulk with a kernel far wider
  /// than `error`; Σλ, λ_max and Σλ^α are dominated by the large eigenvalues.
  func isSettled(withinError error: Double) -> Bool {
    let relative = 1e-7
    guard let xMin, error <= relative * xMin else { return alpha == nil && detXSettled(error) }
    let near = eigenvalues.filter { abs($0 - Self.fitThreshold) <= error }.count
    let positive = eigenvalues.filter { $0 > Self.fitThreshold }.count
    if near > 0 && positive - near <= WeightWatcherPowerLawFit.smallSampleCutoff { return false }
    return detXSettled(error)
  }

  /// detX stopped before the end, at an eigenvalue known to 10⁻⁷, and the products it
  /// compared with 1 there and one index above stay on their sides of 1 when every eigenvalue
  /// in them (and the rescaling by count/Σλ) moves by its error: a relative drift of at most
  /// Σ error/λᵢ + count·n·error/Σλ.
  private func detXSettled(_ error: Double) -> Bool {
    let n = eigenvalues.count
    guard detXCount < n, error <= 1e-7 * detXValue else { return false }
    let start = n - detXCount
    let total = pairwiseSum(eigenvalues)
    let drift =
      eigenvalues[start...].reduce(0) { $0 + error / $1 }
      + Double(detXCount) * Double(n) * error / total
    let (rescaled, _) = Self.detXRescaled(eigenvalues)
    return Self.ascendingProduct(rescaled, from: start) < Foundation.exp(-2 * drift)
      && Self.ascendingProduct(rescaled, from: start + 1) >= Foundation.exp(2 * drift)
  }

  private init(
    name: String, shape: [Int], count: Int, n: Int, m: Int, fit: PowerLawFitMethod,
    sorted: [Double], spectrum: SpectrumRoute
  ) throws {
    self.name = name
    self.shape = shape
    fitMethod = fit
    rows = n
    columns = m
    matrices = count
    self.spectrum = spectrum
    let total = pairwiseSum(sorted)
    guard total.isFinite else {
      throw SpectrumError(
        "\(name): the eigenvalues of WᵀW overflow a Double (their sum exceeds 1.8e308); no spectrum"
      )
    }
    eigenvalues = sorted
    lambdaMax = sorted.last ?? 0
    stableRank = lambdaMax > 0 ? total / lambdaMax : 0
    logFrobeniusNorm = log10(total)
    logSpectralNorm = log10(lambdaMax)
    let positive = sorted.filter { $0 > Self.fitThreshold }
    switch fit {
    case .weightwatcher:
      if let f = WeightWatcherPowerLawFit(positive) {
        (alpha, alphaStandardError, xMin, ksDistance) = (
          f.alpha, f.standardError, f.xMin, f.ksDistance
        )
        tailCount = sorted.filter { $0 >= f.xMin }.count
        let c = PowerLawFit(f.tail, xMin: f.xMin, minimumTail: 2)?.compareWithLognormal()
        (lognormalRatio, lognormalPValue) = (c?.normalizedRatio, c?.pValue)
      }
    case .clauset:
      if let f = PowerLawFit(positive) {
        (alpha, alphaStandardError, xMin, ksDistance) = (
          f.alpha, f.standardError, f.xMin, f.ksDistance
        )
        tailCount = sorted.filter { $0 >= f.xMin }.count
        let c = f.compareWithLognormal()
        (lognormalRatio, lognormalPValue) = (c.normalizedRatio, c.pValue)
      }
    }
    if let alpha, let xMin {
      alphaWeighted = alpha * logSpectralNorm
      logAlphaNorm = log10(pairwiseSum(sorted.map { Foundation.pow($0, alpha) }))
      traceLog = pairwiseSum(sorted.filter { $0 >= xMin }.map { Foundation.log($0) })
    }
    let mp = MarchenkoPasturFit(eigenvalues: sorted, rows: n, columns: m)
    marchenkoPasturSigma = mp?.sigma
    marchenkoPasturEdge = mp?.bulkMax
    mpSoftRank = mp?.softRank
    spikes = mp?.spikes ?? 0
    (detXCount, detXValue) = Self.detX(sorted)
  }

  /// WeightWatcher's `detX_constraint` on the eigenvalues rescaled to mean 1 (see the type):
  /// scanning down from the top, the first index whose product of the rescaled eigenvalues from
  /// it upward falls below 1, each product multiplied in ascending order as NumPy's
  /// `np.prod(evals[idx:])` does. On large spectra that running product underflows to 0 among
  /// the small eigenvalues (or overflows among the large ones), so the index differs from where
  /// the exact product crosses 1 (a 4096² Gaussian matrix: 2952 eigenvalues against 2995);
  /// the reference tool's number is the one reported.
  static func detX(_ sorted: [Double]) -> (count: Int, value: Double) {
    guard sorted.count >= 2, sorted[0] < sorted[sorted.count - 1] else {
      return (0, sorted.first ?? 0)
    }
    let (rescaled, scale) = detXRescaled(sorted)
    for index in stride(from: sorted.count - 1, to: 0, by: -1)
    where ascendingProduct(rescaled, from: index) < 1 {
      return (sorted.count - index, rescaled[index] / scale)
    }
    return (sorted.count, rescaled[1] / scale)
  }

  /// The eigenvalues times `scale` = count/Σλ (mean 1), and the scale.
  static func detXRescaled(_ sorted: [Double]) -> (rescaled: [Double], scale: Double) {
    let wScale = Double(sorted.count).squareRoot() / pairwiseSum(sorted).squareRoot()
    return (sorted.map { wScale * wScale * $0 }, wScale * wScale)
  }

  /// `values[start] · values[start + 1] · …`, left to right.
  static func ascendingProduct(_ values: [Double], from start: Int) -> Double {
    values.withUnsafeBufferPointer { v in
      var product = 1.0
      for k in start..<v.count { product *= v[k] }
      return product
    }
  }
}

/// A spectrum that cannot be computed (non-finite weights).
public struct SpectrumError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

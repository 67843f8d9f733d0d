import Foundation
import Statistics
import Tensors

/// Heavy-tailed self-regularization analysis of one weight matrix (Martin & Mahoney 2021,
/// *JMLR* 22(165); the quantities WeightWatcher reports), from the empirical spectral density
/// (ESD) of `WᵀW`, `W` of shape `(N, M)` with `N ≥ M` (a wide matrix is transposed first). The
/// normalisation is the field's reference tool's: the eigenvalues are the squared singular
/// values `λ_i = σ_i²`, not divided by N (computed as the eigenvalues of the M×M Gram matrix by
/// LAPACK `dsyevd`; rounding below zero is clamped), and eigenvalues ≤ 10⁻⁵ are left out of
/// the power-law fit:
///
/// - a power-law fit of the ESD's tail (``PowerLawFit``: α with its standard error, x_min by
///   the KS distance over every eigenvalue, no cap on α, and the likelihood ratio against a
///   lognormal);
/// - norms: `log10 ‖W‖_F²`, `log10 λ_max` (spectral), `α·log10 λ_max` (α-weighted),
///   `log10 Σ λ_i^α` (the α-norm), and the stable rank `Σλ/λ_max`;
/// - a Marchenko–Pastur bulk: with aspect ratio `Q = N/M`, the bulk of a random matrix with
///   entry variance σ² ends at `λ₊ = N·σ²(1 + 1/√Q)²`; σ² is fitted as the mean of `λ/N` over
///   the bulk (eigenvalues above λ₊ are excluded and the mean recomputed until nothing changes), and
///   the eigenvalues above the final λ₊ by more than four Tracy–Widom scales (the size of the
///   largest bulk eigenvalue's finite-N fluctuation) are the spikes;
/// - the trace-log condition `Σ_{λ ≥ x_min} ln λ` over the tail (≈ 0 when the tail's determinant
///   is 1, the "ERG" condition of the SETOL theory).
///
/// Several matrices (the kernel positions of a convolution) are analysed as one pooled ESD.
public struct LayerSpectrumAnalysis: Codable, Sendable {
  public var name: String
  public var shape: [Int]
  /// N ≥ M of the analysed matrices.
  public var rows: Int
  public var columns: Int
  public var matrices: Int
  public var eigenvalues: [Double]
  public var lambdaMax: Double
  public var stableRank: Double
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
  public var marchenkoPasturVariance: Double
  public var marchenkoPasturEdge: Double
  public var spikes: Int
  public var traceLog: Double?

  /// Analyses `matrices` (each `(a, b)`; all the same shape) as one layer.
  public init(name: String, shape: [Int], matrices: [Tensor<Double>]) throws {
    precondition(!matrices.isEmpty, "a layer needs at least one matrix")
    self.name = name
    self.shape = shape
    let first = matrices[0]
    let n = max(first.rows, first.columns)
    rows = n
    columns = min(first.rows, first.columns)
    self.matrices = matrices.count
    var values: [Double] = []
    for w in matrices {
      // Eigenvalues of the smaller Gram matrix (M×M): WᵀW or WWᵀ, the squared singular values.
      let gram =
        w.rows >= w.columns ? matmul(w, w, transposeA: true) : matmul(w, w, transposeB: true)
      values += try symmetricEigenvalues(gram).map { max(0, $0) }
    }
    let sorted = values.sorted()
    eigenvalues = sorted
    let total = sorted.reduce(0, +)
    lambdaMax = sorted.last ?? 0
    stableRank = lambdaMax > 0 ? total / lambdaMax : 0
    logFrobeniusNorm = log10(total / Double(matrices.count))
    logSpectralNorm = log10(lambdaMax)
    let q = Double(rows) / Double(columns)
    let edgeFactor = (1 + 1 / q.squareRoot()) * (1 + 1 / q.squareRoot())
    // The bulk in units of the entry variance (λ/N).
    let scaled = sorted.map { $0 / Double(n) }
    var variance = total / Double(n) / Double(sorted.count)
    for _ in 0..<100 {
      let bulk = scaled.filter { $0 <= variance * edgeFactor }
      guard !bulk.isEmpty else { break }
      let next = bulk.reduce(0, +) / Double(bulk.count)
      if abs(next - variance) <= 1e-12 * variance { break }
      variance = next
    }
    marchenkoPasturVariance = variance
    marchenkoPasturEdge = Double(n) * variance * edgeFactor
    // A spike stands out of the bulk by more than the finite-size fluctuation of the largest
    // bulk eigenvalue: 4 Tracy–Widom scales (Johnstone 2001), σ²(√N + √M)(1/√N + 1/√M)^{1/3}/N.
    let (rootN, rootM) = (Double(n).squareRoot(), Double(columns).squareRoot())
    let fluctuation = variance * (rootN + rootM) * pow(1 / rootN + 1 / rootM, 1.0 / 3)
    let edge = marchenkoPasturEdge + 4 * fluctuation
    spikes = sorted.filter { $0 > edge }.count
    if let fit = PowerLawFit(sorted.filter { $0 > 1e-5 }) {
      alpha = fit.alpha
      alphaStandardError = fit.standardError
      xMin = fit.xMin
      ksDistance = fit.ksDistance
      tailCount = fit.tailCount
      alphaWeighted = fit.alpha * logSpectralNorm
      logAlphaNorm = log10(sorted.reduce(0) { $0 + pow($1, fit.alpha) })
      let comparison = fit.compareWithLognormal()
      lognormalRatio = comparison.normalizedRatio
      lognormalPValue = comparison.pValue
      traceLog = fit.tail.reduce(0) { $0 + log($1) }
    }
  }
}

import CLinearAlgebra
import Foundation

/// The squared singular values of a matrix A as the eigenvalues of its Gram matrix on the
/// smaller side (G = AᵀA when A has at least as many rows as columns, AAᵀ otherwise), ascending
/// and at least 0:
/// G by `dsyrk` (one triangle, half a general product's work), LAPACK's two-stage
/// tridiagonalisation (``twoStageTridiagonal(_:n:)``: matrix–matrix reflectors to a band, then
/// bulge chasing) and `dsterf` (Pal–Walker–Kahan QR, eigenvalues only).
///
/// Against the squared singular values of `dgesdd`, which are accurate relative to each σᵢ,
/// forming G costs absolute accuracy: every eigenvalue is within
/// ``gramEigenvalueErrorBound(rows:columns:eigenvalues:)`` of the exact σᵢ² (Higham 2002, §3.5 for
/// the rounding of the inner products, ≤ k·ε·‖A‖² with k the inner dimension; Demmel 1997,
/// Thm 5.3 with the backward stability of the symmetric eigensolver, ≤ p(m)·ε·‖G‖), so the small
/// eigenvalues lose relative accuracy while the large ones keep it. On a 4096² matrix it is
/// several times faster than the bidiagonalisation of `dgesdd`, whose half of level-2 work is
/// memory-bound.
public func gramEigenvalues(of a: Tensor<Double>) throws -> [Double] {
  precondition(a.rank == 2, "the Gram spectrum needs a matrix, got shape \(a.shape)")
  let (rows, columns) = (a.rows, a.columns)
  let m = min(rows, columns)
  guard m > 0 else { return [] }
  var g = [Double](repeating: 0, count: m * m)
  a.withUnsafeBufferPointer { p in
    // Row-major A: AᵀA (columns × columns) is syrk with transposition, AAᵀ without. The upper
    // triangle in row-major order is the lower triangle in column-major order, which the
    // tridiagonalisation reads.
    cblas_dsyrk(
      CblasRowMajor, CblasUpper, rows >= columns ? CblasTrans : CblasNoTrans, Int32(m),
      Int32(max(rows, columns)), 1, p.baseAddress, Int32(columns), 0, &g, Int32(m))
  }
  if m == 1 { return [g[0]] }
  var (diagonal, offDiagonal) = try twoStageTridiagonal(&g, n: m)
  let info = LAPACKE_dsterf(Int32(m), &diagonal, &offDiagonal)
  guard info == 0 else { throw LinearAlgebraError(routine: "dsterf", info: info) }
  // G is positive semi-definite: an eigenvalue rounded below zero is a zero one (the clamp
  // moves it by less than the error bound).
  return diagonal.map { max($0, 0) }
}

/// A bound on the absolute error of each eigenvalue from ``gramEigenvalues(of:)`` for a
/// `rows` × `columns` matrix with those eigenvalues: ε·(k·Σλ + 4m·λ_max), with k the inner
/// dimension of the product and m the order of G. The first term bounds the rounding of G's
/// inner products, |ΔG| ≤ kε|A|ᵀ|A| elementwise, whose norm is at most k·ε·‖A‖²_F = k·ε·Σλ; the
/// second is a generous allowance for the backward error of the reduction and the QR
/// iterations, p(m)·ε·‖G‖₂.
public func gramEigenvalueErrorBound(rows: Int, columns: Int, eigenvalues: [Double]) -> Double {
  let total = eigenvalues.reduce(0) { $0 + abs($1) }
  let largest = eigenvalues.map(abs).max() ?? 0
  return Double.ulpOfOne
    * (Double(max(rows, columns)) * total + 4 * Double(min(rows, columns)) * largest)
}

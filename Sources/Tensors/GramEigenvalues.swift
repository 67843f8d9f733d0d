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
///
/// G is formed in blocks of ``gramBlockSide`` columns of A (rows when A is wide), each block of
/// its upper triangle by one BLAS call (`dsyrk` on the diagonal, `dgemm` off it); `parallel`
/// runs the blocks — `parallel(count, body)` must call `body(i)` once for every i < count, on
/// any threads. Every block is the same BLAS call however the blocks are shared out, so the
/// eigenvalues do not depend on the number of threads.
public func gramEigenvalues(
  of a: Tensor<Double>,
  parallel: (_ count: Int, _ body: @escaping @Sendable (Int) -> Void) -> Void = { count, body in
    for i in 0..<count { body(i) }
  }
) throws -> [Double] {
  precondition(a.rank == 2, "the Gram spectrum needs a matrix, got shape \(a.shape)")
  let (rows, columns) = (a.rows, a.columns)
  let m = min(rows, columns)
  guard m > 0 else { return [] }
  // Every entry of the upper triangle is written below (the lower one is never read), so the
  // matrix need not be cleared first.
  var g = [Double](unsafeUninitializedCapacity: m * m) { _, count in
    count = m * m
  }
  a.withUnsafeBufferPointer { p in
    g.withUnsafeMutableBufferPointer { q in
      let matrices = GramBlocks(
        a: p.baseAddress!, g: q.baseAddress!, rows: rows, columns: columns, order: m)
      let pairs = matrices.blockPairs
      parallel(pairs.count) { matrices.compute(pairs[$0]) }
    }
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

/// The side of the blocks in which ``gramEigenvalues(of:parallel:)`` forms G: fixed, so that
/// the arithmetic does not depend on how many threads share the blocks.
public let gramBlockSide = 512

/// The upper triangle of G (row-major, order m) in blocks: for A with at least as many rows as
/// columns, G[I, J] = A[:, I]ᵀ A[:, J]; otherwise G[I, J] = A[I, :] A[J, :]ᵀ. The pointers stay
/// valid for the whole computation (the caller's buffer scopes), and blocks write disjoint
/// parts of G.
private struct GramBlocks: @unchecked Sendable {
  let a: UnsafePointer<Double>
  let g: UnsafeMutablePointer<Double>
  let rows: Int
  let columns: Int
  let order: Int

  var blockPairs: [(Int, Int)] {
    let count = (order + gramBlockSide - 1) / gramBlockSide
    return (0..<count).flatMap { i in (i..<count).map { (i, $0) } }
  }

  func compute(_ pair: (Int, Int)) {
    let (i, j) = pair
    let (start0, start1) = (i * gramBlockSide, j * gramBlockSide)
    let (size0, size1) = (
      min(gramBlockSide, order - start0), min(gramBlockSide, order - start1)
    )
    let tall = rows >= columns
    let inner = Int32(tall ? rows : columns)
    // A block of A's columns (tall) starts at that column with the row stride `columns`; a
    // block of A's rows (wide) starts at that row.
    let first = tall ? a + start0 : a + start0 * columns
    let second = tall ? a + start1 : a + start1 * columns
    let block = g + start0 * order + start1
    if i == j {
      cblas_dsyrk(
        CblasRowMajor, CblasUpper, tall ? CblasTrans : CblasNoTrans, Int32(size0), inner, 1,
        first, Int32(columns), 0, block, Int32(order))
    } else {
      cblas_dgemm(
        CblasRowMajor, tall ? CblasTrans : CblasNoTrans, tall ? CblasNoTrans : CblasTrans,
        Int32(size0), Int32(size1), inner, 1, first, Int32(columns), second, Int32(columns), 0,
        block, Int32(order))
    }
  }
}

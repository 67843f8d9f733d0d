import CLinearAlgebra
import Foundation

/// The eigenvalues of a symmetric matrix A and the squared projections `(u_kᵀy)²` of one vector
/// y on its unit eigenvectors u_k, without forming the eigenvectors: a kernel's spectrum and a
/// target's power per mode for the price of the eigenvalues.
///
/// 1. A Householder reflector `H₀ = I − τvvᵀ` maps y to `±‖y‖e₁`; `A′ = H₀AH₀` (a symmetric
///    rank-2 update) has A's eigenvalues and eigenvectors `H₀u_k`, so `u_kᵀy = ±‖y‖ (H₀u_k)₁`.
/// 2. LAPACK's two-stage tridiagonalisation (``twoStageTridiagonal(_:n:)``, lower triangle;
///    dense to band by blocked, matrix–matrix reflectors, band to tridiagonal by bulge chasing)
///    gives
///    `A′ = QTQᵀ`. Every reflector of either stage acts on rows 2…n only, so `Qe₁ = e₁` and the
///    first components of A′'s eigenvectors are those of T's.
/// 3. Implicit QL with Wilkinson shifts on T, carrying only the first row of the accumulated
///    rotations (the Golub–Welsch device), gives T's eigenvalues and the first components of its
///    eigenvectors in O(n²) work.
///
/// Against a full `dsyevd` this skips the back-transformation and the tridiagonal eigenvectors
/// and replaces the one-stage reduction (half of it memory-bound matrix–vector work) with the
/// two-stage one. All steps are backward stable: eigenvalues and projections carry errors of
/// order n·ε·‖A‖ like the full decomposition's.
///
/// Eigenvalues ascending, projections in the same order. Throws ``LinearAlgebraError`` when
/// LAPACK fails or QL does not converge within 30 n sweeps.
public func symmetricEigenvaluesAndProjections(_ a: Tensor<Double>, projecting y: [Double]) throws
  -> (eigenvalues: [Double], squaredProjections: [Double])
{
  precondition(
    a.rank == 2 && a.rows == a.columns, "symmetric eigenproblem needs a square matrix: \(a.shape)")
  precondition(y.count == a.rows, "one vector entry per row: \(y.count) for \(a.shape)")
  let n = a.rows
  if n == 0 { return ([], []) }
  var matrix = a.scalars
  let norm = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
  if norm > 0 { reflectToFirstAxis(&matrix, n: n, y: y, norm: norm) }
  var (diagonal, offDiagonal) = try twoStageTridiagonal(&matrix, n: n)
  matrix = []
  var firstRow = [Double](repeating: 0, count: n)
  firstRow[0] = 1
  try tridiagonalQL(diagonal: &diagonal, offDiagonal: &offDiagonal, firstRow: &firstRow)
  let order = diagonal.indices.sorted { diagonal[$0] < diagonal[$1] }
  return (
    order.map { diagonal[$0] }, order.map { norm * norm * firstRow[$0] * firstRow[$0] }
  )
}

/// `A ← H₀AH₀` with `H₀ = I − τvvᵀ`, `v = y − αe₁`, `α = −sign(y₁)‖y‖` (no cancellation in
/// v₁), `τ = 2/vᵀv`: with `w = τAv` and `q = w − (τ/2)(vᵀw)v`, `H₀AH₀ = A − vqᵀ − qvᵀ`. The
/// whole matrix is updated (the buffer is read as column-major; it is symmetric).
func reflectToFirstAxis(_ matrix: inout [Double], n: Int, y: [Double], norm: Double) {
  var v = y
  v[0] += y[0] >= 0 ? norm : -norm
  let tau = 2 / v.reduce(0) { $0 + $1 * $1 }
  var w = [Double](repeating: 0, count: n)
  matrix.withUnsafeMutableBufferPointer { m in
    cblas_dsymv(
      CblasColMajor, CblasLower, Int32(n), tau, m.baseAddress, Int32(n), v, 1, 0, &w, 1)
    let k = 0.5 * tau * zip(v, w).reduce(0) { $0 + $1.0 * $1.1 }
    for i in 0..<n { w[i] -= k * v[i] }
    cblas_dger(CblasColMajor, Int32(n), Int32(n), -1, v, 1, w, 1, m.baseAddress, Int32(n))
    cblas_dger(CblasColMajor, Int32(n), Int32(n), -1, w, 1, v, 1, m.baseAddress, Int32(n))
  }
}

/// The diagonal and sub-diagonal of `QᵀAQ = T` by LAPACK's two stages, called one by one
/// (eigenvectors not kept): `dsytrd_sy2sb` to a band of half-width 64 on the BLAS threads set,
/// then `dsytrd_sb2st` on one BLAS thread. The bulge chasing of the second stage is a long
/// chain of small reflector applications; with two OpenBLAS threads it ran 3–4× slower than
/// with one (n = 8192: 14.8 s against 3.6 s), and as `dsytrd_2stage` runs both stages on the
/// same threads, this split took the reduction from 24 s to 18 s on two cores. Half-width 64
/// balanced the stages (stage one 14 s with two threads, 26 s with one; 32 made it slower, 128
/// made stage two slower).
func twoStageTridiagonal(_ matrix: inout [Double], n: Int) throws -> ([Double], [Double]) {
  var size = Int32(n)
  var kd = Int32(min(64, max(n - 1, 1)))
  var ldab = kd + 1
  var band = [Double](repeating: 0, count: Int(ldab) * n)
  var tau = [Double](repeating: 0, count: max(n - 1, 1))
  var info: Int32 = 0
  var query = 0.0
  var lwork: Int32 = -1
  matrix.withUnsafeMutableBufferPointer { m in
    dsytrd_sy2sb_(
      "L", &size, &kd, m.baseAddress, &size, &band, &ldab, &tau, &query, &lwork, &info, 1)
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "dsytrd_sy2sb", info: info) }
  lwork = Int32(query)
  var work = [Double](repeating: 0, count: max(Int(lwork), 1))
  matrix.withUnsafeMutableBufferPointer { m in
    dsytrd_sy2sb_(
      "L", &size, &kd, m.baseAddress, &size, &band, &ldab, &tau, &work, &lwork, &info, 1)
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "dsytrd_sy2sb", info: info) }

  var diagonal = [Double](repeating: 0, count: n)
  var offDiagonal = [Double](repeating: 0, count: max(n - 1, 1))
  var queries = (hous: 0.0, work: 0.0)
  var (lhous, lwork2): (Int32, Int32) = (-1, -1)
  dsytrd_sb2st_(
    "Y", "N", "L", &size, &kd, &band, &ldab, &diagonal, &offDiagonal, &queries.hous, &lhous,
    &queries.work, &lwork2, &info, 1, 1, 1)
  guard info == 0 else { throw LinearAlgebraError(routine: "dsytrd_sb2st", info: info) }
  (lhous, lwork2) = (Int32(queries.hous), Int32(queries.work))
  var hous = [Double](repeating: 0, count: max(Int(lhous), 1))
  work = [Double](repeating: 0, count: max(Int(lwork2), 1))
  LinearAlgebraThreads.withSingleThread {
    dsytrd_sb2st_(
      "Y", "N", "L", &size, &kd, &band, &ldab, &diagonal, &offDiagonal, &hous, &lhous, &work,
      &lwork2, &info, 1, 1, 1)
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "dsytrd_sb2st", info: info) }
  return (diagonal, Array(offDiagonal.prefix(n - 1)))
}

/// Implicit QL with Wilkinson shifts (Bowdler, Martin, Reinsch & Wilkinson 1968, `tql2`) on the
/// symmetric tridiagonal matrix (`diagonal`, `offDiagonal`), overwriting `diagonal` with the
/// eigenvalues (unsorted) and applying every plane rotation to the row vector `firstRow` (e₁ on
/// entry gives the first components of the eigenvectors). A sub-diagonal entry counts as zero
/// when it is at most ε/2 times the sum of its neighbours' magnitudes.
func tridiagonalQL(
  diagonal d: inout [Double], offDiagonal: inout [Double], firstRow z: inout [Double]
)
  throws
{
  let n = d.count
  guard n > 1 else { return }
  var e = offDiagonal + [0]
  let epsilon = Double.ulpOfOne / 2
  let floor = Double.ulpOfOne * max(d.map(abs).max()!, e.map(abs).max()!)
  var iterations = 0
  for l in 0..<n {
    while true {
      var m = l
      while m < n - 1 {
        let magnitude = abs(e[m])
        if magnitude <= epsilon * (abs(d[m]) + abs(d[m + 1])) || magnitude <= floor { break }
        m += 1
      }
      if m == l { break }
      iterations += 1
      guard iterations <= 30 * n else {
        throw LinearAlgebraError(routine: "tridiagonal QL", info: Int32(l + 1))
      }
      var g = (d[l + 1] - d[l]) / (2 * e[l])
      var r = hypot(g, 1)
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
      var (s, c, p) = (1.0, 1.0, 0.0)
      var i = m - 1
      var deflated = false
      while i >= l {
        let f = s * e[i]
        let b = c * e[i]
        r = hypot(f, g)
        e[i + 1] = r
        if r == 0 {
          d[i + 1] -= p
          e[m] = 0
          deflated = true
          break
        }
        s = f / r
        c = g / r
        g = d[i + 1] - p
        r = (d[i] - g) * s + 2 * c * b
        p = s * r
        d[i + 1] = g + p
        g = c * r - b
        let upper = z[i + 1]
        z[i + 1] = s * z[i] + c * upper
        z[i] = c * z[i] - s * upper
        i -= 1
      }
      if deflated { continue }
      d[l] -= p
      e[l] = g
      e[m] = 0
    }
  }
  offDiagonal = Array(e.prefix(n - 1))
}

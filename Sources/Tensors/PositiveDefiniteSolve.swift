import CLinearAlgebra

/// Solves `A X = B` for a symmetric positive-definite `A` (`(n, n)`, upper triangle read) and
/// the columns of `B` (`(n, k)`) by Cholesky factorisation, LAPACK's `dposv`. Throws
/// ``LinearAlgebraError`` when `A` is not positive definite to working precision.
public func solvePositiveDefinite(_ a: Tensor<Double>, _ b: Tensor<Double>) throws -> Tensor<Double>
{
  precondition(
    a.rank == 2 && a.rows == a.columns && b.rank == 2 && b.rows == a.rows,
    "A \(a.shape) must be square with as many rows as B \(b.shape)")
  var factor = a.scalars
  var solution = b
  let (n, k) = (a.rows, b.columns)
  if n == 0 { return solution }
  let info = solution.withUnsafeMutableBufferPointer { x in
    LAPACKE_dposv(
      LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), Int32(k), &factor, Int32(n),
      x.baseAddress, Int32(k))
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "dposv", info: info) }
  return solution
}

/// The minimum-norm least-squares solution `X = A⁺B` for a symmetric positive semi-definite
/// `A` (`(n, n)`) and the columns of `B` (`(n, k)`): `A⁺ = Σ_{λ_k > τ} u_k u_kᵀ/λ_k` from the
/// eigendecomposition (LAPACK `dsyevd`), where eigenvalues at or below τ = n·ε·λ_max (ε the
/// float64 epsilon, NumPy's `pinv` cut-off) count as zero, so that the rounding noise of a
/// numerically singular matrix is not inverted. The ridgeless limit λ → 0⁺ of `(A + λI)⁻¹B`.
public func solveMinimumNorm(_ a: Tensor<Double>, _ b: Tensor<Double>) throws -> Tensor<Double> {
  precondition(
    a.rank == 2 && a.rows == a.columns && b.rank == 2 && b.rows == a.rows,
    "A \(a.shape) must be square with as many rows as B \(b.shape)")
  let (n, k) = (a.rows, b.columns)
  if n == 0 { return b }
  let decomposition = try symmetricEigendecomposition(a)
  let values = decomposition.eigenvalues
  let cutoff = Double(n) * Double.ulpOfOne * (values.map(abs).max() ?? 0)
  var projections = matmul(decomposition.eigenvectors, b, transposeA: true)
  for row in 0..<n {
    let scale = values[row] > cutoff ? 1 / values[row] : 0
    for column in 0..<k { projections[row, column] *= scale }
  }
  return matmul(decomposition.eigenvectors, projections)
}

/// Kernel ridge regression's coefficients `(K + λI)⁻¹y` for a symmetric positive semi-definite
/// Gram matrix K (`(n, n)`) and targets `y` (`(n, k)`): by Cholesky (``solvePositiveDefinite``)
/// for λ > 0, and for λ = 0 the ridgeless limit `K⁺y` (``solveMinimumNorm``).
public func solveKernelRidge(_ gram: Tensor<Double>, _ y: Tensor<Double>, ridge: Double) throws
  -> Tensor<Double>
{
  precondition(ridge >= 0, "ridge must be ≥ 0, got \(ridge)")
  guard ridge > 0 else { return try solveMinimumNorm(gram, y) }
  var regularised = gram
  for i in 0..<gram.rows { regularised[i, i] += ridge }
  return try solvePositiveDefinite(regularised, y)
}

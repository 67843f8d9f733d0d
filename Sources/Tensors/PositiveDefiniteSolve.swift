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

import CLinearAlgebra

/// Thin singular value decomposition `A = U·diag(s)·Vᵀ` of an `(m, n)` matrix.
///
/// `u` is `(m, k)`, `singularValues` has `k = min(m, n)` entries in descending order, `vt` is
/// `(k, n)`. Computed by LAPACK's divide-and-conquer `?gesdd`.
public struct SingularValueDecomposition<Scalar: TensorScalar>: Sendable {
  public var u: Tensor<Scalar>
  public var singularValues: [Scalar]
  public var vt: Tensor<Scalar>
}

/// Eigen-decomposition `A = Q·diag(λ)·Qᵀ` of a symmetric `(n, n)` matrix: eigenvalues in
/// ascending order and the matching unit eigenvectors as the columns of `eigenvectors`.
/// Computed by LAPACK's divide-and-conquer `?syevd` (upper triangle read).
public struct SymmetricEigendecomposition<Scalar: TensorScalar>: Sendable {
  public var eigenvalues: [Scalar]
  public var eigenvectors: Tensor<Scalar>
}

/// A LAPACK routine reported failure (`info ≠ 0`).
public struct LinearAlgebraError: Error, CustomStringConvertible {
  public var routine: String
  public var info: Int32
  public var description: String {
    info < 0
      ? "\(routine): argument \(-info) had an illegal value"
      : "\(routine): the algorithm did not converge (info = \(info))"
  }
}

/// Thin SVD of a matrix (see ``SingularValueDecomposition``).
public func singularValueDecomposition<S: TensorScalar>(_ a: Tensor<S>) throws
  -> SingularValueDecomposition<S>
{
  precondition(a.rank == 2, "SVD needs a matrix, got shape \(a.shape)")
  let m = a.rows
  let n = a.columns
  let k = min(m, n)
  var work = a
  var s = [S](repeating: 0, count: k)
  var u = Tensor<S>.zeros([m, k])
  var vt = Tensor<S>.zeros([k, n])
  if k == 0 { return SingularValueDecomposition(u: u, singularValues: s, vt: vt) }
  let info = work.withUnsafeMutableBufferPointer { pa in
    s.withUnsafeMutableBufferPointer { ps in
      u.withUnsafeMutableBufferPointer { pu in
        vt.withUnsafeMutableBufferPointer { pv in
          S.gesdd(
            m: m, n: n, a: pa.baseAddress!, s: ps.baseAddress!, u: pu.baseAddress!,
            vt: pv.baseAddress!)
        }
      }
    }
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "gesdd", info: info) }
  return SingularValueDecomposition(u: u, singularValues: s, vt: vt)
}

/// Singular values of a matrix, descending.
public func singularValues<S: TensorScalar>(of a: Tensor<S>) throws -> [S] {
  try singularValueDecomposition(a).singularValues
}

/// Eigen-decomposition of a symmetric matrix (see ``SymmetricEigendecomposition``).
public func symmetricEigendecomposition<S: TensorScalar>(_ a: Tensor<S>) throws
  -> SymmetricEigendecomposition<S>
{
  precondition(
    a.rank == 2 && a.rows == a.columns, "symmetric eigenproblem needs a square matrix: \(a.shape)")
  let n = a.rows
  var vectors = a
  var w = [S](repeating: 0, count: n)
  if n == 0 { return SymmetricEigendecomposition(eigenvalues: w, eigenvectors: vectors) }
  let info = vectors.withUnsafeMutableBufferPointer { pa in
    w.withUnsafeMutableBufferPointer { pw in
      S.syevd(n: n, a: pa.baseAddress!, w: pw.baseAddress!, vectors: true)
    }
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "syevd", info: info) }
  return SymmetricEigendecomposition(eigenvalues: w, eigenvectors: vectors)
}

/// The eigenvalues alone (ascending) of a symmetric matrix, by `?syevd` without eigenvectors
/// (several times faster than the full decomposition for large matrices).
public func symmetricEigenvalues<S: TensorScalar>(_ a: Tensor<S>) throws -> [S] {
  precondition(
    a.rank == 2 && a.rows == a.columns, "symmetric eigenproblem needs a square matrix: \(a.shape)")
  let n = a.rows
  var work = a
  var w = [S](repeating: 0, count: n)
  if n == 0 { return w }
  let info = work.withUnsafeMutableBufferPointer { pa in
    w.withUnsafeMutableBufferPointer { pw in
      S.syevd(n: n, a: pa.baseAddress!, w: pw.baseAddress!, vectors: false)
    }
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "syevd", info: info) }
  return w
}

/// Singular values of a double-precision matrix, descending, without the singular vectors
/// (`LAPACKE_dgesdd`, job 'N': what SciPy's `linalg.svd(compute_uv=False)` computes), so
/// that small singular values keep their relative accuracy (squaring a Gram matrix's would not).
public func singularValuesOnly(of a: Tensor<Double>) throws -> [Double] {
  precondition(a.rank == 2, "SVD needs a matrix, got shape \(a.shape)")
  let (m, n) = (a.rows, a.columns)
  let k = min(m, n)
  guard k > 0 else { return [] }
  var work = a
  var s = [Double](repeating: 0, count: k)
  var unused = [Double](repeating: 0, count: 1)
  let info = work.withUnsafeMutableBufferPointer { pa in
    s.withUnsafeMutableBufferPointer { ps in
      unused.withUnsafeMutableBufferPointer { pu in
        // The row-major m×n buffer read column-major is Aᵀ (n×m), which has the same singular
        // values; LAPACK then works on it in place, without a transposed copy.
        LAPACKE_dgesdd(
          LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int32(n), Int32(m), pa.baseAddress!, Int32(n),
          ps.baseAddress!, pu.baseAddress!, 1, pu.baseAddress!, 1)
      }
    }
  }
  guard info == 0 else { throw LinearAlgebraError(routine: "gesdd", info: info) }
  return s
}

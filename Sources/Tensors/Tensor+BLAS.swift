import CLinearAlgebra

/// Matrix product through BLAS `?gemm`: `op(A)·op(B)` with `op` the identity or the transpose.
///
/// Shapes: `A` is `(m, k)` (or `(k, m)` when `transposeA`), `B` is `(k, n)` (or `(n, k)` when
/// `transposeB`); the result is `(m, n)`. Transposes are passed to BLAS, never materialised.
@inlinable
public func matmul<S: TensorScalar>(
  _ a: Tensor<S>, _ b: Tensor<S>, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor<S> {
  precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices: \(a.shape) × \(b.shape)")
  let m = transposeA ? a.columns : a.rows
  let k = transposeA ? a.rows : a.columns
  let kb = transposeB ? b.columns : b.rows
  let n = transposeB ? b.rows : b.columns
  precondition(
    k == kb,
    "matmul shape mismatch: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")"
  )
  var c = Tensor<S>.zeros([m, n])
  gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, beta: 0)
  return c
}

/// `C ← α·op(A)·op(B) + β·C` in place (BLAS `?gemm`); `C` must already have shape `(m, n)`.
@inlinable
public func gemm<S: TensorScalar>(
  _ a: Tensor<S>, _ b: Tensor<S>, into c: inout Tensor<S>, transposeA: Bool = false,
  transposeB: Bool = false, alpha: S = 1, beta: S
) {
  let m = transposeA ? a.columns : a.rows
  let k = transposeA ? a.rows : a.columns
  let n = transposeB ? b.rows : b.columns
  precondition(
    (transposeB ? b.columns : b.rows) == k, "gemm inner dimensions: \(a.shape) × \(b.shape)")
  precondition(c.shape == [m, n], "gemm output shape \(c.shape), expected \([m, n])")
  if m == 0 || n == 0 { return }
  if k == 0 {
    c = c * beta
    return
  }
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      c.withUnsafeMutableBufferPointer { pc in
        S.gemm(
          transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
          a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns, beta: beta,
          c: pc.baseAddress!, ldc: n)
      }
    }
  }
}

/// Threads used by OpenBLAS for the matrix products of this process.
///
/// OpenBLAS partitions `gemm` over rows and columns of the output, never over the inner
/// dimension, so each output element is summed in the same order whatever the thread count.
public enum LinearAlgebraThreads {
  /// Sets the number of BLAS threads (1 or more).
  public static func set(_ count: Int) {
    precondition(count >= 1, "thread count must be positive, got \(count)")
    openblas_set_num_threads(Int32(count))
  }

  /// The number of BLAS threads currently in use.
  public static var current: Int { Int(openblas_get_num_threads()) }

  /// OpenBLAS's name for the CPU kernel it selected (e.g. "Haswell", "SkylakeX").
  public static var coreName: String { String(cString: openblas_get_corename()) }
}

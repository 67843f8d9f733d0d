/// Batched matrix product over the leading axis, `C_b = op(A_b)·op(B_b)` for b = 0…B−1, with
/// `A` of shape `(B, m, k)` (or `(B, k, m)` transposed) and `B` of shape `(B, k, n)` (or
/// `(B, n, k)`): one BLAS `?gemm` per batch entry on the row-major blocks in place (nothing is
/// copied or transposed). The attention products Q·Kᵀ and A·V of every sequence and head.
@inlinable
public func batchedMatmul<S: TensorScalar>(
  _ a: Tensor<S>, _ b: Tensor<S>, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor<S> {
  precondition(a.rank == 3 && b.rank == 3, "batchedMatmul: \(a.shape) × \(b.shape)")
  precondition(a.shape[0] == b.shape[0], "batchedMatmul: batch \(a.shape[0]) vs \(b.shape[0])")
  let batch = a.shape[0]
  let (ar, ac, br, bc) = (a.shape[1], a.shape[2], b.shape[1], b.shape[2])
  let m = transposeA ? ac : ar
  let k = transposeA ? ar : ac
  let n = transposeB ? br : bc
  precondition(
    (transposeB ? bc : br) == k, "batchedMatmul inner dimensions: \(a.shape) × \(b.shape)")
  var c = Tensor<S>.zeros([batch, m, n])
  if batch == 0 || m == 0 || n == 0 || k == 0 { return c }
  LinearAlgebraThreads.applyDefault()
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      c.withUnsafeMutableBufferPointer { pc in
        for i in 0..<batch {
          S.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
            a: pa.baseAddress! + i * ar * ac, lda: ac, b: pb.baseAddress! + i * br * bc, ldb: bc,
            beta: 0, c: pc.baseAddress! + i * m * n, ldc: n)
        }
      }
    }
  }
  return c
}

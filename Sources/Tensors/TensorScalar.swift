import CLinearAlgebra
import RealModule

/// The element types a ``Tensor`` can hold: `Float` (training) and `Double` (analysis and
/// gradient checks).
///
/// Each conforming type routes the dense linear algebra to the matching single- or
/// double-precision BLAS/LAPACK routine (`sgemm`/`dgemm`, `sgesdd`/`dgesdd`,
/// `ssyevd`/`dsyevd`), so generic code calls one name for both precisions.
public protocol TensorScalar: BinaryFloatingPoint, Real, SIMDScalar, Codable, Sendable
where Self.RawSignificand: FixedWidthInteger {
  /// `C ← α·op(A)·op(B) + β·C` on row-major buffers (`cblas_?gemm`).
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// Thin SVD of a row-major `m×n` matrix by divide and conquer (`LAPACKE_?gesdd`, job 'S').
  /// `a` is overwritten. Returns LAPACK's `info` (0 on success).
  static func gesdd(
    m: Int, n: Int, a: UnsafeMutablePointer<Self>, s: UnsafeMutablePointer<Self>,
    u: UnsafeMutablePointer<Self>, vt: UnsafeMutablePointer<Self>
  ) -> Int32

  /// Eigenvalues (ascending) and, in place of `a`, eigenvectors as columns of a symmetric
  /// row-major `n×n` matrix (`LAPACKE_?syevd`, upper triangle). Returns LAPACK's `info`.
  static func syevd(
    n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>, vectors: Bool
  ) -> Int32
}

extension Float: TensorScalar {

  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
      transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  public static func gesdd(
    m: Int, n: Int, a: UnsafeMutablePointer<Float>, s: UnsafeMutablePointer<Float>,
    u: UnsafeMutablePointer<Float>, vt: UnsafeMutablePointer<Float>
  ) -> Int32 {
    let k = min(m, n)
    return LAPACKE_sgesdd(
      LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "S")), Int32(m), Int32(n), a, Int32(n), s, u,
      Int32(k), vt, Int32(n))
  }

  public static func syevd(
    n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, vectors: Bool
  ) -> Int32 {
    LAPACKE_ssyevd(
      LAPACK_ROW_MAJOR, Int8(UInt8(ascii: vectors ? "V" : "N")), Int8(UInt8(ascii: "U")), Int32(n),
      a, Int32(n),
      w)
  }
}

extension Double: TensorScalar {

  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
      transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  public static func gesdd(
    m: Int, n: Int, a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
    u: UnsafeMutablePointer<Double>, vt: UnsafeMutablePointer<Double>
  ) -> Int32 {
    let k = min(m, n)
    return LAPACKE_dgesdd(
      LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "S")), Int32(m), Int32(n), a, Int32(n), s, u,
      Int32(k), vt, Int32(n))
  }

  public static func syevd(
    n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>, vectors: Bool
  ) -> Int32 {
    LAPACKE_dsyevd(
      LAPACK_ROW_MAJOR, Int8(UInt8(ascii: vectors ? "V" : "N")), Int8(UInt8(ascii: "U")), Int32(n),
      a, Int32(n),
      w)
  }
}

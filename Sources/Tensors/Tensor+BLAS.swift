import CLinearAlgebra

#if canImport(Glibc)
  import Glibc
#endif

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
  LinearAlgebraThreads.applyDefault()
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
/// Results must not depend on the thread count. Whether OpenBLAS's threaded `gemm` sums each
/// output element in the same order as its single-threaded `gemm` depends on the CPU kernel it
/// selected: with the Cooperlake kernels it does, with the Zen kernels of 0.3.21 it does not
/// (products of 256×512 by 512×512 differ in the last bits). So ``set(_:)`` grants a thread
/// count only after a probe has found that count's products bit-identical to one thread's on
/// this machine, and otherwise keeps one thread; parallelism then comes from running
/// independent runs side by side. ``setForBenchmark(_:)`` sets the count unconditionally, for
/// speed measurements only.
public enum LinearAlgebraThreads {
  /// Sets the number of BLAS threads to `count` if that is reproducible here, else to 1.
  /// Returns the count in use.
  @discardableResult
  public static func set(_ count: Int) -> Int {
    precondition(count >= 1, "thread count must be positive, got \(count)")
    applyDefault()
    let usable = count == 1 || isReproducible(threads: count) ? count : 1
    openblas_set_num_threads(Int32(usable))
    return usable
  }

  /// Sets the number of BLAS threads without the reproducibility probe (benchmarks).
  public static func setForBenchmark(_ count: Int) {
    precondition(count >= 1, "thread count must be positive, got \(count)")
    applyDefault()
    openblas_set_num_threads(Int32(count))
  }

  /// OpenBLAS starts with a thread per core, which would make a process's first products
  /// thread-dependent until someone calls ``set(_:)``; the first product (or setting) of the
  /// process brings it to one thread instead. Runs once; afterwards a cheap check.
  @inlinable
  public static func applyDefault() { _ = defaultApplied }

  @usableFromInline static let defaultApplied: Bool = {
    openblas_set_num_threads(1)
    return true
  }()

  /// The number of BLAS threads currently in use.
  public static var current: Int { Int(openblas_get_num_threads()) }

  /// Runs `body` on one BLAS thread and restores the count afterwards, for LAPACK steps that
  /// threads slow down (the bulge chasing of a two-stage reduction). The count is process-wide:
  /// BLAS calls of other threads meanwhile run on one thread too, which leaves their results
  /// unchanged, as ``set(_:)`` grants more than one thread only where that count is
  /// bit-identical to one.
  static func withSingleThread<R>(_ body: () throws -> R) rethrows -> R {
    let previous = openblas_get_num_threads()
    guard previous > 1 else { return try body() }
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(previous) }
    return try body()
  }

  /// OpenBLAS's name for the CPU kernel it selected (e.g. "Haswell", "SkylakeX").
  public static var coreName: String { String(cString: openblas_get_corename()) }

  /// Whether `threads` BLAS threads give bit-identical `sgemm` and `dgemm` results to one
  /// thread on shapes of the sizes training uses (all four transpose combinations of 256×512 by
  /// 512×512, 512×256 by 256×512, 120×512 by 512×512) and on irregular ones (300×600 by
  /// 600×700, 64×1000 by 1000×64, 1000×64 by 64×1000, 97×333 by 333×129), where a thread's
  /// share of rows or columns ends inside a kernel block: OpenBLAS's generic x86 kernels
  /// ("Prescott", chosen where the CPU's features are hidden from it) agree on the round
  /// shapes but not on these. Probed once per count (about 0.3 s) and remembered.
  public static func isReproducible(threads: Int) -> Bool {
    probeLock.lock()
    defer { probeLock.unlock() }
    if let known = probed[threads] { return known }
    let previous = current
    defer { openblas_set_num_threads(Int32(previous)) }
    var rng = SplittableRandom(seed: 20_261_130)
    var same = true
    let shapes = [
      (256, 512, 512), (512, 256, 512), (120, 512, 512), (300, 600, 700), (64, 1000, 64),
      (1000, 64, 1000), (97, 333, 129),
    ]
    func check<S: TensorScalar>(_: S.Type) {
      for (m, k, n) in shapes {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] where same {
          let a = Tensor<S>.randomUniform(ta ? [k, m] : [m, k], low: -1, high: 1, using: &rng)
          let b = Tensor<S>.randomUniform(tb ? [n, k] : [k, n], low: -1, high: 1, using: &rng)
          openblas_set_num_threads(1)
          let one = matmul(a, b, transposeA: ta, transposeB: tb)
          openblas_set_num_threads(Int32(threads))
          let many = matmul(a, b, transposeA: ta, transposeB: tb)
          same = same && one == many
        }
      }
    }
    check(Float.self)
    check(Double.self)
    probed[threads] = same
    return same
  }

  nonisolated(unsafe) static var probed: [Int: Bool] = [:]
  static let probeLock = ProbeLock()
}

/// A plain mutex (pthread) for the probe's memo, usable without Foundation.
final class ProbeLock: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  init() { pthread_mutex_init(&mutex, nil) }
  func lock() { pthread_mutex_lock(&mutex) }
  func unlock() { pthread_mutex_unlock(&mutex) }
}

import CLinearAlgebra

/// How ``ridgeRegression(_:_:ridge:solver:)`` solves its least-squares problem.
public enum RidgeSolver: String, Codable, Sendable, CaseIterable {
  /// Normal equations `(XᵀX + βI) W = XᵀY` by Cholesky (`dsyrk`-like `dgemm`, then `dposv`):
  /// the fastest; loses accuracy when `X` is ill-conditioned (the condition number is squared).
  case cholesky
  /// Householder QR of the augmented matrix `[X; √β I]` (`dgels`): the condition number is not
  /// squared, so nearly collinear features (linear reservoirs) keep their accuracy; about 2–4×
  /// the work of `cholesky`.
  case qr
}

/// A fitted linear readout `ŷ = x W + b` (`W` is `(features, outputs)`).
public struct RidgeFit: Sendable {
  public var weights: Tensor<Double>
  public var intercept: [Double]

  /// Predictions for the rows of `x` (`(samples, features)` → `(samples, outputs)`).
  public func predict(_ x: Tensor<Double>) -> Tensor<Double> {
    var y = Tensor<Double>(
      shape: [x.rows, intercept.count], generating: { intercept[$0 % intercept.count] })
    gemm(x, weights, into: &y, beta: 1)
    return y
  }
}

/// Ridge regression with an unpenalised intercept: minimises
/// `‖Y − X W − 1 bᵀ‖²_F + β ‖W‖²_F` over `W` and `b` (Hoerl & Kennard 1970), for every column
/// of `Y` at once. The intercept is removed by centring `X` and `Y` on their column means;
/// then `W = (XcᵀXc + βI)⁻¹ XcᵀYc` and `b = ȳ − Wᵀx̄`. `β` is absolute (not scaled by the
/// number of samples), as in the common reservoir-computing libraries.
public func ridgeRegression(
  _ x: Tensor<Double>, _ y: Tensor<Double>, ridge beta: Double, solver: RidgeSolver = .cholesky
) throws -> RidgeFit {
  precondition(x.rank == 2 && y.rank == 2 && x.rows == y.rows, "X \(x.shape) and Y \(y.shape)")
  precondition(beta >= 0 && beta.isFinite, "ridge must be a finite number ≥ 0")
  let (t, n, k) = (x.rows, x.columns, y.columns)
  let (xc, xMean) = centeredColumns(x)
  let (yc, yMean) = centeredColumns(y)
  var weights: Tensor<Double>
  switch solver {
  case .cholesky:
    // XcᵀXc + βI, upper triangle only (dsyrk: half the work of a general product).
    var g = [Double](repeating: 0, count: n * n)
    for i in 0..<n { g[i * n + i] = beta }
    xc.withUnsafeBufferPointer { x in
      cblas_dsyrk(
        CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(t), 1, x.baseAddress, Int32(n), 1,
        &g, Int32(n))
    }
    weights = Tensor<Double>.zeros([n, k])
    gemm(xc, yc, into: &weights, transposeA: true, beta: 0)
    let info = weights.withUnsafeMutableBufferPointer { w in
      LAPACKE_dposv(
        LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), Int32(k), &g, Int32(n),
        w.baseAddress, Int32(k))
    }
    guard info == 0 else { throw LinearAlgebraError(routine: "dposv", info: info) }
  case .qr:
    // [Xc; √β I] (t + n rows) against [Yc; 0].
    var a = xc.scalars + [Double](repeating: 0, count: n * n)
    let root = beta.squareRoot()
    for i in 0..<n { a[(t + i) * n + i] = root }
    var b = yc.scalars + [Double](repeating: 0, count: n * k)
    let info = LAPACKE_dgels(
      LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int32(t + n), Int32(n), Int32(k), &a, Int32(n),
      &b, Int32(k))
    guard info == 0 else { throw LinearAlgebraError(routine: "dgels", info: info) }
    weights = Tensor(shape: [n, k], scalars: Array(b.prefix(n * k)))
  }
  let shift = matmul(Tensor(shape: [1, n], scalars: xMean), weights).scalars
  return RidgeFit(weights: weights, intercept: (0..<k).map { yMean[$0] - shift[$0] })
}

/// The matrix (or only its rows in `rows`) with each column's mean over those rows subtracted,
/// and the means (one copy, then two row-major passes over it).
public func centeredColumns(_ a: Tensor<Double>, rows: Range<Int>? = nil) -> (
  centered: Tensor<Double>, means: [Double]
) {
  var block = rows.map { a.slice(alongAxis: 0, $0) } ?? a
  let (count, columns) = (block.rows, block.columns)
  var means = [Double](repeating: 0, count: columns)
  block.withUnsafeMutableBufferPointer { p in
    for r in 0..<count { for c in 0..<columns { means[c] += p[r * columns + c] } }
    for c in 0..<columns { means[c] /= Double(max(count, 1)) }
    for r in 0..<count { for c in 0..<columns { p[r * columns + c] -= means[c] } }
  }
  return (block, means)
}

/// The Gram matrix `XᵀX + βI` (`(features, features)`, both triangles filled) by `dsyrk`, which
/// computes one triangle in half the work of a general product.
public func gramMatrix(_ x: Tensor<Double>, ridge beta: Double = 0) -> Tensor<Double> {
  precondition(x.rank == 2, "X \(x.shape) must be a matrix")
  let (t, n) = (x.rows, x.columns)
  var g = [Double](repeating: 0, count: n * n)
  for i in 0..<n { g[i * n + i] = beta }
  if t > 0 && n > 0 {
    x.withUnsafeBufferPointer { x in
      cblas_dsyrk(
        CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(t), 1, x.baseAddress, Int32(n), 1,
        &g, Int32(n))
    }
  }
  for i in 0..<n { for j in 0..<i { g[i * n + j] = g[j * n + i] } }
  return Tensor(shape: [n, n], scalars: g)
}

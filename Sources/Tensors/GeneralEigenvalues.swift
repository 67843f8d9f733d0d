import CLinearAlgebra

/// A complex number as LAPACK returns eigenvalues of real matrices: real and imaginary parts.
public struct ComplexValue: Sendable, Equatable {
  public var real: Double
  public var imaginary: Double
  public init(_ real: Double, _ imaginary: Double = 0) {
    self.real = real
    self.imaginary = imaginary
  }
  /// `|z| = √(re² + im²)` (without overflow, by `hypot`).
  public var modulus: Double { (real * real + imaginary * imaginary).squareRoot() }
}

/// The eigenvalue of largest modulus of a real square matrix `A`, with its right and left
/// eigenvectors: `A x = λ x` and `yᴴ A = λ yᴴ` (complex vectors as real and imaginary parts).
///
/// For a simple eigenvalue the derivative of λ with respect to the entries of `A` is
/// `∂λ/∂A_ij = conj(y_i) x_j / (yᴴ x)` (Wilkinson; Magnus 1985), so that of the spectral
/// radius `ρ = |λ|` is `∂ρ/∂A = Re(conj(λ)/|λ| · conj(y) xᵀ / (yᴴ x))`.
public struct DominantEigenpair: Sendable {
  public var eigenvalue: ComplexValue
  public var right: (real: [Double], imaginary: [Double])
  public var left: (real: [Double], imaginary: [Double])

  /// `∂|λ|/∂A` as a row-major `n×n` array (see the type's formula).
  public var spectralRadiusGradient: [Double] {
    let n = right.real.count
    // s = yᴴx = Σ conj(y_i) x_i.
    var sRe = 0.0
    var sIm = 0.0
    for i in 0..<n {
      let (yr, yi, xr, xi) = (left.real[i], -left.imaginary[i], right.real[i], right.imaginary[i])
      sRe += yr * xr - yi * xi
      sIm += yr * xi + yi * xr
    }
    let m = eigenvalue.modulus
    // c = conj(λ)/|λ| / s.
    let (lr, li) = (eigenvalue.real / m, -eigenvalue.imaginary / m)
    let denominator = sRe * sRe + sIm * sIm
    let cRe = (lr * sRe + li * sIm) / denominator
    let cIm = (li * sRe - lr * sIm) / denominator
    var gradient = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      // c · conj(y_i)
      let (yr, yi) = (left.real[i], -left.imaginary[i])
      let aRe = cRe * yr - cIm * yi
      let aIm = cRe * yi + cIm * yr
      for j in 0..<n {
        gradient[i * n + j] = aRe * right.real[j] - aIm * right.imaginary[j]
      }
    }
    return gradient
  }
}

/// Eigenvalues of a real square matrix (LAPACK `dgeev`, no eigenvectors), in LAPACK's order.
public func eigenvalues(_ a: Tensor<Double>) throws -> [ComplexValue] {
  try generalEigen(a, vectors: false).values
}

/// The spectral radius `max |λ_i|` of a real square matrix (by `dgeev`).
public func spectralRadius(_ a: Tensor<Double>) throws -> Double {
  try eigenvalues(a).map(\.modulus).max() ?? 0
}

/// The eigenvalue of largest modulus with its left and right eigenvectors (by `dgeev`); for a
/// complex-conjugate pair the member with positive imaginary part.
public func dominantEigenpair(_ a: Tensor<Double>) throws -> DominantEigenpair {
  let (values, left, right) = try generalEigen(a, vectors: true)
  let n = a.rows
  var best = 0
  for i in values.indices
  where values[i].modulus > values[best].modulus
    || (values[i].modulus == values[best].modulus && values[i].imaginary > values[best].imaginary)
  {
    best = i
  }
  // dgeev stores a conjugate pair (λ_j, λ_{j+1} = conj λ_j) as columns j (real part) and
  // j+1 (imaginary part) of the eigenvector matrix.
  func column(_ m: [Double], _ j: Int) -> [Double] { (0..<n).map { m[$0 * n + j] } }
  func vector(_ m: [Double]) -> (real: [Double], imaginary: [Double]) {
    let im = values[best].imaginary
    if im == 0 { return (column(m, best), [Double](repeating: 0, count: n)) }
    if im > 0 { return (column(m, best), column(m, best + 1)) }
    return (column(m, best - 1), column(m, best).map { -$0 })
  }
  return DominantEigenpair(eigenvalue: values[best], right: vector(right), left: vector(left))
}

private func generalEigen(_ a: Tensor<Double>, vectors: Bool) throws -> (
  values: [ComplexValue], left: [Double], right: [Double]
) {
  precondition(a.rank == 2 && a.rows == a.columns, "eigenvalues need a square matrix: \(a.shape)")
  let n = a.rows
  if n == 0 { return ([], [], []) }
  var work = a.scalars
  var wr = [Double](repeating: 0, count: n)
  var wi = [Double](repeating: 0, count: n)
  var vl = [Double](repeating: 0, count: vectors ? n * n : 1)
  var vr = [Double](repeating: 0, count: vectors ? n * n : 1)
  let job = Int8(UInt8(ascii: vectors ? "V" : "N"))
  let info = LAPACKE_dgeev(
    LAPACK_ROW_MAJOR, job, job, Int32(n), &work, Int32(n), &wr, &wi, &vl, Int32(vectors ? n : 1),
    &vr, Int32(vectors ? n : 1))
  guard info == 0 else { throw LinearAlgebraError(routine: "dgeev", info: info) }
  return (zip(wr, wi).map { ComplexValue($0, $1) }, vl, vr)
}

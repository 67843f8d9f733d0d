import CritTestSupport
import Tensors
import Testing

/// Eigenvalues with known closed forms: a rotation by 90° scaled by 2 has eigenvalues ±2i;
/// a triangular matrix has its diagonal as eigenvalues; a companion matrix of
/// (x − 1)(x + 3)(x − 0.5) has the roots 1, −3, 0.5. LAPACK's dgeev is backward stable, so
/// the eigenvalues of these well-conditioned matrices come out to within ~10⁻¹⁴.
@Test func eigenvaluesOfKnownMatrices() throws {
  let rotation = Tensor<Double>(rows: [[0, -2], [2, 0]])
  let r = try eigenvalues(rotation).sorted { $0.imaginary < $1.imaginary }
  #expect(abs(r[0].real) < 1e-14 && abs(r[0].imaginary + 2) < 1e-14)
  #expect(abs(r[1].imaginary - 2) < 1e-14)
  #expect(abs(try spectralRadius(rotation) - 2) < 1e-14)
  let triangular = Tensor<Double>(rows: [[3, 1, 7], [0, -4, 2], [0, 0, 1]])
  #expect(abs(try spectralRadius(triangular) - 4) < 1e-13)
  // x³ + 1.5x² − 4x + 1.5 = (x − 1)(x + 3)(x − 0.5).
  let companion = Tensor<Double>(rows: [[-1.5, 4, -1.5], [1, 0, 0], [0, 1, 0]])
  let roots = try eigenvalues(companion).map(\.real).sorted()
  #expect(zip(roots, [-3, 0.5, 1]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(roots)")
}

/// The dominant eigenpair satisfies A x = λ x and yᴴ A = λ yᴴ (complex arithmetic written out),
/// for a random non-symmetric matrix whose dominant eigenvalue is complex or real.
@Test(arguments: [1, 2, 3, 4] as [UInt64])
func dominantEigenpairSatisfiesItsEquations(seed: UInt64) throws {
  let n = 7
  let a = randomTensor([n, n], seed: seed)
  let pair = try dominantEigenpair(a)
  #expect(abs(pair.eigenvalue.modulus - (try spectralRadius(a))) < 1e-12)
  let (lr, li) = (pair.eigenvalue.real, pair.eigenvalue.imaginary)
  var residual = 0.0
  for i in 0..<n {
    var re = 0.0
    var im = 0.0
    var leftRe = 0.0
    var leftIm = 0.0
    for j in 0..<n {
      re += a[i, j] * pair.right.real[j]
      im += a[i, j] * pair.right.imaginary[j]
      // (yᴴ A)_i = Σ_j conj(y_j) A_ji
      leftRe += pair.left.real[j] * a[j, i]
      leftIm -= pair.left.imaginary[j] * a[j, i]
    }
    re -= lr * pair.right.real[i] - li * pair.right.imaginary[i]
    im -= lr * pair.right.imaginary[i] + li * pair.right.real[i]
    // λ·conj(y_i)
    leftRe -= lr * pair.left.real[i] + li * pair.left.imaginary[i]
    leftIm -= li * pair.left.real[i] - lr * pair.left.imaginary[i]
    residual = max(residual, abs(re), abs(im), abs(leftRe), abs(leftIm))
  }
  #expect(residual < 1e-12, "residual \(residual)")
}

/// Exact linear data `Y = X W* + 1 b*ᵀ` without noise and β = 0: both solvers recover W* and
/// b* (to 1e-10: a 200×6 well-conditioned problem; Cholesky squares the condition number ~10,
/// so both keep 13+ digits).
@Test(arguments: RidgeSolver.allCases)
func ridgeRecoversExactLinearMaps(solver: RidgeSolver) throws {
  let x = randomTensor([200, 6], seed: 11)
  let w = randomTensor([6, 3], seed: 12)
  let b = [0.5, -1.25, 3]
  var y = matmul(x, w)
  for r in 0..<200 { for c in 0..<3 { y[r, c] += b[c] } }
  let fit = try ridgeRegression(x, y, ridge: 0, solver: solver)
  #expect(maxAbsoluteDifference(fit.weights, w) < 1e-10)
  #expect(zip(fit.intercept, b).allSatisfy { abs($0 - $1) < 1e-10 })
  #expect(maxAbsoluteDifference(fit.predict(x), y) < 1e-10)
}

/// With centred orthonormal feature columns (XcᵀXc = I) the ridge solution is known in closed
/// form: W = XcᵀY / (1 + β). Both solvers reach it to 1e-12.
@Test(arguments: RidgeSolver.allCases)
func ridgeShrinksOrthonormalFeaturesByOnePlusBeta(solver: RidgeSolver) throws {
  var raw = randomTensor([50, 4], seed: 21)
  let mean = raw.mean(alongAxis: 0)
  raw = raw - mean.reshaped([1, 4])
  let q = try singularValueDecomposition(raw).u  // orthonormal columns, still centred
  let y = randomTensor([50, 2], seed: 22)
  let beta = 0.7
  let fit = try ridgeRegression(q, y, ridge: beta, solver: solver)
  let expected = matmul(q, y, transposeA: true) / (1 + beta)
  #expect(maxAbsoluteDifference(fit.weights, expected) < 1e-12)
}

/// `LinearAlgebraThreads.set(2)` grants two threads only where they reproduce one thread's
/// products bit for bit; a granted count then gives identical results on a shape outside the
/// probe (300×1000 by 1000×700), and a refused one leaves a single thread.
@Test func blasThreadsAreGrantedOnlyWhenReproducible() {
  withExclusiveLinearAlgebra {
    let previous = LinearAlgebraThreads.current
    defer { LinearAlgebraThreads.setForBenchmark(previous) }
    let granted = LinearAlgebraThreads.set(2)
    #expect(granted == (LinearAlgebraThreads.isReproducible(threads: 2) ? 2 : 1))
    #expect(LinearAlgebraThreads.current == granted)
    if granted == 2 {
      let a = Tensor<Float>(randomTensor([300, 1000], seed: 31))
      let b = Tensor<Float>(randomTensor([1000, 700], seed: 32))
      let many = matmul(a, b)
      LinearAlgebraThreads.set(1)
      #expect(matmul(a, b) == many)
    }
  }
}

/// The minimum-norm solution against independent answers. Full rank: it equals the Cholesky
/// solution. Rank r < n: for K = A Aᵀ (A n × r) and y = K z, K⁺y is the projection of z onto
/// the range of A, A (AᵀA)⁻¹ Aᵀ z, computed here by a Cholesky solve of the r × r normal
/// equations. Both are well conditioned (κ ≲ 10³), so 1e-9 relative leaves room for the
/// eigensolver's O(n ε κ) error; and the minimum norm matters: any other solution of K x = y
/// differs by a null-space component of norm ~1, which the test would see.
@Test func minimumNormSolutionMatchesIndependentAnswers() throws {
  var random = SplittableRandom(seed: 11)
  let n = 40
  let full = Tensor<Double>.randomNormal([n, n], using: &random)
  var spd = matmul(full, full, transposeB: true)
  for i in 0..<n { spd[i, i] += Double(n) }
  let b = Tensor<Double>.randomNormal([n, 2], using: &random)
  let pinv = try solveMinimumNorm(spd, b)
  let cholesky = try solvePositiveDefinite(spd, b)
  for (x, y) in zip(pinv.scalars, cholesky.scalars) { #expect(abs(x - y) <= 1e-9 * abs(y) + 1e-12) }

  let r = 7
  let a = Tensor<Double>.randomNormal([n, r], using: &random)
  let k = matmul(a, a, transposeB: true)
  let z = Tensor<Double>.randomNormal([n, 1], using: &random)
  let y = matmul(k, z)
  let solution = try solveMinimumNorm(k, y)
  let normal = matmul(a, a, transposeA: true)
  let projected = matmul(a, try solvePositiveDefinite(normal, matmul(a, z, transposeA: true)))
  let scale = projected.scalars.map(abs).max()!
  for (x, expected) in zip(solution.scalars, projected.scalars) {
    #expect(abs(x - expected) <= 1e-9 * scale, "\(x) vs \(expected)")
  }
}

/// Eigenvalues and squared projections without eigenvectors (two-stage tridiagonalisation and
/// first-row QL) against LAPACK's full `dsyevd` and `(u_kᵀy)²` from its eigenvectors: a random
/// symmetric matrix (indefinite, n = 300, y with a negative and a positive first entry), a
/// Gram matrix with a power-law spectrum (η_k ∝ k⁻², n = 400, the kernel case), and the sizes
/// 1…4 (edge cases of both stages). Both computations are backward stable: eigenvalues agree
/// to a small multiple of n·ε·‖A‖ (1e-11 ‖A‖ allows n·ε ≈ 1e-13 with room), squared projections
/// to 1e-9 ‖y‖² (eigenvector errors scale as ε‖A‖/gap, and the smallest gaps here are ~1e-5 ‖A‖
/// in the power-law tail); their sum is ‖y‖² (Parseval) to 1e-12.
@Test(arguments: [1, 2, 3, 4, 300, 400])
func eigenvaluesAndProjectionsMatchTheFullDecomposition(n: Int) throws {
  var random = SplittableRandom(seed: UInt64(n))
  var a: Tensor<Double>
  if n == 400 {
    let basis = try symmetricEigendecomposition(
      Tensor<Double>.randomNormal([n, n], using: &random).withSymmetricPart()
    ).eigenvectors
    var scaled = basis
    for i in 0..<n { for k in 0..<n { scaled[i, k] *= 1 / Double((k + 1) * (k + 1)) } }
    a = matmul(scaled, basis, transposeB: true).withSymmetricPart()
  } else {
    a = Tensor<Double>.randomNormal([n, n], using: &random).withSymmetricPart()
  }
  for sign in [-1.0, 1.0] {
    var y = Tensor<Double>.randomNormal([n], using: &random).scalars
    y[0] = sign * abs(y[0])
    let fast = try symmetricEigenvaluesAndProjections(a, projecting: y)
    let full = try symmetricEigendecomposition(a)
    let scale = full.eigenvalues.map(abs).max()!
    let squaredNorm = y.reduce(0) { $0 + $1 * $1 }
    for k in 0..<n {
      #expect(abs(fast.eigenvalues[k] - full.eigenvalues[k]) <= 1e-11 * scale, "η_\(k)")
      var projection = 0.0
      for i in 0..<n { projection += full.eigenvectors[i, k] * y[i] }
      #expect(
        abs(fast.squaredProjections[k] - projection * projection) <= 1e-9 * squaredNorm,
        "n = \(n), mode \(k): \(fast.squaredProjections[k]) vs \(projection * projection)")
    }
    #expect(abs(fast.squaredProjections.reduce(0, +) - squaredNorm) <= 1e-12 * squaredNorm)
  }
}

extension Tensor where Scalar == Double {
  /// (A + Aᵀ)/2.
  fileprivate func withSymmetricPart() -> Tensor {
    var result = self
    for i in 0..<rows { for j in 0..<columns { result[i, j] = 0.5 * (self[i, j] + self[j, i]) } }
    return result
  }
}

/// A low-rank Gram matrix (rank 5 of n = 300): 295 eigenvalues at the rounding level, where a
/// purely relative convergence test never settles. Eigenvalues as the full decomposition's to
/// 1e-11 ‖A‖, the target's power all in the five leading modes (y in the range of A) to 1e-9.
@Test func eigenvaluesAndProjectionsOfALowRankMatrix() throws {
  var random = SplittableRandom(seed: 5)
  let n = 300
  let factor = Tensor<Double>.randomNormal([n, 5], using: &random)
  let a = matmul(factor, factor, transposeB: true)
  let y = matmul(factor, Tensor<Double>.randomNormal([5, 1], using: &random)).scalars
  let fast = try symmetricEigenvaluesAndProjections(a, projecting: y)
  let full = try symmetricEigenvalues(a)
  let scale = full.map(abs).max()!
  for (x, reference) in zip(fast.eigenvalues, full) { #expect(abs(x - reference) <= 1e-11 * scale) }
  let squaredNorm = y.reduce(0) { $0 + $1 * $1 }
  #expect(abs(fast.squaredProjections.suffix(5).reduce(0, +) - squaredNorm) <= 1e-9 * squaredNorm)
}

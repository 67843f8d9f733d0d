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

import CritTestSupport
import Tensors
import Testing

/// The product by the definition C_ij = Σ_k A_ik B_kj, in double precision.
func naiveProduct(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
  a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
}

func rows(_ t: Tensor<Double>) -> [[Double]] {
  (0..<t.rows).map { r in Array(t.scalars[(r * t.columns)..<((r + 1) * t.columns)]) }
}

@Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
func matmulMatchesDefinition(transposeA: Bool, transposeB: Bool) {
  let a = randomTensor([5, 7], seed: 1)
  let b = randomTensor([7, 3], seed: 2)
  let opA = transposeA ? a.transposed() : a
  let opB = transposeB ? b.transposed() : b
  let c = matmul(opA, opB, transposeA: transposeA, transposeB: transposeB)
  let expected = Tensor(rows: naiveProduct(rows(a), rows(b)))
  #expect(maxAbsoluteDifference(c, expected) < 1e-14)
  // Float through sgemm: rounding of 7-term sums of products of numbers below 1, < 1e-6.
  let cf = matmul(
    Tensor<Float>(opA), Tensor<Float>(opB), transposeA: transposeA, transposeB: transposeB)
  #expect(maxAbsoluteDifference(Tensor<Double>(cf), expected) < 1e-5)
}

@Test func singularValuesOfKnownMatrix() throws {
  // [[3, 0], [4, 5]] has AᵀA = [[25, 20], [20, 25]] with eigenvalues 45 and 5.
  let a = Tensor<Double>(rows: [[3, 0], [4, 5]])
  let s = try singularValues(of: a)
  #expect(isApproximatelyEqual(s[0], 45.0.squareRoot(), relative: 1e-14))
  #expect(isApproximatelyEqual(s[1], 5.0.squareRoot(), relative: 1e-14))
  let sf = try singularValues(of: Tensor<Float>(a))
  #expect(isApproximatelyEqual(Double(sf[0]), 45.0.squareRoot(), relative: 1e-6))
}

@Test(arguments: [[6, 4], [4, 6], [5, 5]])
func svdReconstructsAndIsOrthonormal(shape: [Int]) throws {
  let a = randomTensor(shape, seed: 3)
  let svd = try singularValueDecomposition(a)
  let k = min(shape[0], shape[1])
  var sigma = Tensor<Double>.zeros([k, k])
  for i in 0..<k { sigma[i, i] = svd.singularValues[i] }
  let rebuilt = matmul(matmul(svd.u, sigma), svd.vt)
  #expect(maxAbsoluteDifference(rebuilt, a) < 1e-13)
  var identity = Tensor<Double>.zeros([k, k])
  for i in 0..<k { identity[i, i] = 1 }
  #expect(maxAbsoluteDifference(matmul(svd.u, svd.u, transposeA: true), identity) < 1e-13)
  #expect(maxAbsoluteDifference(matmul(svd.vt, svd.vt, transposeB: true), identity) < 1e-13)
  #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
}

@Test func symmetricEigenvaluesOfKnownMatrix() throws {
  // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2.
  let e = try symmetricEigendecomposition(Tensor<Double>(rows: [[2, 1], [1, 2]]))
  #expect(isApproximatelyEqual(e.eigenvalues[0], 1, absolute: 1e-15))
  #expect(isApproximatelyEqual(e.eigenvalues[1], 3, absolute: 1e-15))
  #expect(isApproximatelyEqual(abs(e.eigenvectors[0, 1]), 0.5.squareRoot(), absolute: 1e-15))
  let ef = try symmetricEigendecomposition(Tensor<Float>(rows: [[2, 1], [1, 2]]))
  #expect(isApproximatelyEqual(ef.eigenvalues[1], 3, absolute: 1e-6))
}

/// Eigenvalues of AᵀA are the squared singular values of A (an independent route).
@Test func eigenvaluesOfGramAreSquaredSingularValues() throws {
  let a = randomTensor([8, 5], seed: 4)
  let s = try singularValues(of: a)
  let e = try symmetricEigendecomposition(matmul(a, a, transposeA: true)).eigenvalues
  for (value, singular) in zip(e.reversed(), s) {
    #expect(isApproximatelyEqual(value, singular * singular, relative: 1e-12, absolute: 1e-14))
  }
}

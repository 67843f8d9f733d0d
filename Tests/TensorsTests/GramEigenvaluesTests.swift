import CritTestSupport
import Foundation
import Tensors
import Testing

/// The Gram eigenvalues equal the squared singular values of `dgesdd` (an independent
/// algorithm: bidiagonalisation and dqds on A itself) within the stated absolute bound, for a
/// tall, a wide and a square matrix whose sides cross the two-stage band half-width (64), two
/// whose Gram matrix spans two blocks (`gramBlockSide` = 512; tall and wide), and
/// the bound is not vacuous: it is far below the largest eigenvalue.
@Test(arguments: [(300, 120), (90, 200), (129, 129), (5, 1), (1100, 530), (530, 1100)])
func gramEigenvaluesEqualSquaredSingularValues(rows: Int, columns: Int) throws {
  var rng = SplittableRandom(seed: UInt64(rows * 1000 + columns))
  let a = Tensor<Double>.randomNormal([rows, columns], using: &rng)
  let gram = try gramEigenvalues(of: a)
  let reference = try singularValuesOnly(of: a).map { $0 * $0 }.sorted()
  #expect(gram.count == min(rows, columns))
  let bound = gramEigenvalueErrorBound(rows: rows, columns: columns, eigenvalues: reference)
  #expect(bound < 1e-10 * reference.last!)
  for (g, r) in zip(gram, reference) {
    #expect(abs(g - r) <= bound, "\(g) vs \(r), bound \(bound)")
  }
  #expect(zip(gram, gram.dropFirst()).allSatisfy { $0 <= $1 }, "ascending")
}

/// A rank-deficient matrix (rank 3 of 40 columns): the exact eigenvalues are 0 but 3, and the
/// Gram route returns zeros (never below zero, where λ^α would be NaN) up to the bound.
@Test func gramEigenvaluesOfRankDeficientMatrixAreNotNegative() throws {
  var rng = SplittableRandom(seed: 9)
  let left = Tensor<Double>.randomNormal([100, 3], using: &rng)
  let right = Tensor<Double>.randomNormal([3, 40], using: &rng)
  let a = matmul(left, right)
  let gram = try gramEigenvalues(of: a)
  let bound = gramEigenvalueErrorBound(rows: 100, columns: 40, eigenvalues: gram)
  #expect(gram.allSatisfy { $0 >= 0 })
  #expect(gram.prefix(37).allSatisfy { $0 <= bound })
  let reference = try singularValuesOnly(of: a).map { $0 * $0 }.sorted()
  for (g, r) in zip(gram.suffix(3), reference.suffix(3)) { #expect(abs(g - r) <= bound) }
}

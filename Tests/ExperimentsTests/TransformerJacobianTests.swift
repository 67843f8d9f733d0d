import Autodiff
import CritTestSupport
import Experiments
import NN
import Tensors
import Testing

/// The input–output Jacobian by one batched reverse pass against central finite differences of
/// the blocks' forward pass, in double precision: with h = 1e-6 the difference quotient's
/// error is O(h²·|f‴|) ≈ 1e-11 plus rounding ≈ 1e-10, so 1e-7 absolute leaves margin without
/// hiding a wrong entry (entries are O(1)).
@Suite struct TransformerJacobianTests {
  func check(_ model: TransformerModel<Double>, _ x0: Tensor<Double>) -> Tensor<Double> {
    let j = TransformerJacobian.jacobian(model, at: x0)
    let n = x0.count
    #expect(j.shape == [n, n])
    let h = 1e-6
    var worst = 0.0
    for column in 0..<n {
      var plus = x0
      var minus = x0
      plus[flat: column] += h
      minus[flat: column] -= h
      let yPlus = model.represent(Variable(plus), batch: 1).representation.value
      let yMinus = model.represent(Variable(minus), batch: 1).representation.value
      for row in 0..<n {
        let difference = (yPlus[flat: row] - yMinus[flat: row]) / (2 * h)
        worst = max(worst, abs(difference - j[row, column]))
      }
    }
    #expect(worst < 1e-7, "largest deviation \(worst)")
    return j
  }

  @Test func nonCausalTwoBlockModel() {
    let model = TransformerModel<Double>(
      input: .vectors(dimension: 3), length: 4, width: 6, heads: 2, depth: 2, outputs: 1,
      causal: false, seed: 11)
    _ = check(model, randomTensor([4, 6], seed: 12))
  }

  /// With a causal mask output token i depends on input tokens 0…i only: the blocks of J above
  /// the diagonal vanish exactly, below it they do not.
  @Test func causalModelIsBlockLowerTriangular() {
    let model = TransformerModel<Double>(
      vocabulary: 5, length: 4, width: 6, heads: 2, depth: 2, seed: 13)
    let j = check(model, randomTensor([4, 6], seed: 14))
    var above = 0.0
    var below = 0.0
    for row in 0..<24 {
      for column in 0..<24 {
        let (i, k) = (row / 6, column / 6)
        if k > i { above = max(above, abs(j[row, column])) }
        if k < i { below = max(below, abs(j[row, column])) }
      }
    }
    #expect(above == 0)
    #expect(below > 1e-3)
  }

  /// Singular values are LAPACK's of the same matrix, largest first.
  @Test func singularValuesAreSortedAndMatchTheMatrix() throws {
    let model = TransformerModel<Double>(
      input: .vectors(dimension: 3), length: 3, width: 4, heads: 1, depth: 1, outputs: 1,
      causal: false, seed: 15)
    let x0 = randomTensor([3, 4], seed: 16)
    let values = try TransformerJacobian.singularValues(model, at: x0)
    let direct = try singularValues(of: TransformerJacobian.jacobian(model, at: x0)).sorted(by: >)
    #expect(values.count == 12)
    #expect(zip(values, direct).allSatisfy { abs($0 - $1) <= 1e-12 * direct[0] })
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 })
  }
}

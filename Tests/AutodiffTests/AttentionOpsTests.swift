import Autodiff
import CritTestSupport
import Tensors
import Testing

/// The attention engine's operations against central finite differences in double precision
/// (relative error below `tolerance`, 1e-6, as for every other operation), and their forward
/// values against plain loops.
@Suite struct AttentionOperationGradients {
  /// All four transpose combinations, batch 3: gradients with respect to both operands.
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func batchedMatrixProduct(transposeA: Bool, transposeB: Bool) {
    let a = randomTensor(transposeA ? [3, 4, 2] : [3, 2, 4], seed: 1)
    let b = randomTensor(transposeB ? [3, 5, 4] : [3, 4, 5], seed: 2)
    expectGradient([a, b]) {
      weightedSum(batchedMatmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB))
    }
    // Forward: entry (i, r, c) is Σ_k op(A_i)[r, k] op(B_i)[k, c], by loops.
    let c = batchedMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
    #expect(c.shape == [3, 2, 5])
    for i in 0..<3 {
      for r in 0..<2 {
        for col in 0..<5 {
          var total = 0.0
          for k in 0..<4 {
            let x = transposeA ? a[i, k, r] : a[i, r, k]
            let y = transposeB ? b[i, col, k] : b[i, k, col]
            total += x * y
          }
          #expect(abs(c[i, r, col] - total) <= 1e-14)
        }
      }
    }
  }

  /// Softmax over the last axis of a (2, 4, 4) tensor, with and without the causal mask; the
  /// masked entries are exactly 0 and every row sums to 1.
  @Test(arguments: [false, true])
  func maskedSoftmax(causal: Bool) {
    let x = randomTensor([2, 4, 4], seed: 3, low: -2, high: 2)
    expectGradient([x]) { weightedSum(softmax($0[0], lastAxisCausal: causal)) }
    let p = x.softmaxLastAxis(causal: causal)
    for b in 0..<2 {
      for i in 0..<4 {
        var total = 0.0
        for j in 0..<4 {
          total += p[b, i, j]
          if causal && j > i { #expect(p[b, i, j] == 0) }
        }
        #expect(abs(total - 1) <= 1e-14)
      }
    }
    // Without a mask it equals the matrix softmax of the rows.
    if !causal {
      let rows = x.reshaped([8, 4]).softmaxRows()
      for k in 0..<32 { #expect(abs(rows[flat: k] - p[flat: k]) <= 1e-15) }
    }
  }

  /// An embedding lookup with a repeated index: the table's gradient sums both rows.
  @Test func embeddingLookup() {
    let table = randomTensor([5, 3], seed: 4)
    expectGradient([table]) { weightedSum(embedding($0[0], indices: [2, 0, 2, 4])) }
    let rows = embedding(Variable(table), indices: [2, 0, 2, 4]).value
    #expect(rows.shape == [4, 3] && rows[2, 1] == table[2, 1] && rows[1, 0] == table[0, 0])
  }
}

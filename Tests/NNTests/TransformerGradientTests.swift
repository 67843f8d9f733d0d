import Autodiff
import CritTestSupport
import Foundation
import NN
import Tensors
import Testing

/// Multi-head attention and the whole pre-LN block against central finite differences in
/// double precision, with respect to every parameter and the input (relative error below
/// 1e-6, the bound of every gradient check here; h = 1e-6 leaves a finite-difference error
/// near 1e-9). Two sequences of length 5, width 8, two heads; each switch of the block.
@Suite struct TransformerGradients {
  @Test(arguments: [false, true])
  func multiHeadAttention(causal: Bool) {
    var rng = SplittableRandom(seed: 1)
    let attention = MultiHeadSelfAttention<Double>(width: 8, heads: 2, using: &rng)
    let x = Variable(randomTensor([10, 8], seed: 2), requiresGradient: true)
    let result = checkGradients(of: attention.parameters.map(\.variable) + [x]) {
      weightedSum(attention(x, batch: 2, length: 5, causal: causal).output)
    }
    #expect(result.relativeError < 1e-6, "\(result)")
  }

  @Test(arguments: [
    TransformerBlockParts(), .pureAttention, TransformerBlockParts(residual: false),
    TransformerBlockParts(layerNorm: false), TransformerBlockParts(mlp: false),
  ])
  func preLayerNormBlock(parts: TransformerBlockParts) {
    var rng = SplittableRandom(seed: 3)
    let block = TransformerBlock<Double>(width: 8, heads: 2, parts: parts, using: &rng)
    // LayerNorm's gains and shifts moved off 1 and 0 so that their gradients are generic.
    for (name, p) in block.parameters where name.hasPrefix("norm") {
      p.value = p.value + randomTensor(p.shape, seed: 4, low: -0.3, high: 0.3)
    }
    let x = Variable(randomTensor([10, 8], seed: 5), requiresGradient: true)
    let result = checkGradients(of: block.parameters.map(\.variable) + [x]) {
      weightedSum(block(x, batch: 2, length: 5, causal: true).output)
    }
    #expect(result.relativeError < 1e-6, "\(result)")
  }

  /// The forward pass against a direct computation for one head: attention maps are
  /// softmax(q kᵀ/√d_h) row by row, with the sequences kept apart.
  @Test func attentionMapsAreSoftmaxOfScaledScores() {
    var rng = SplittableRandom(seed: 6)
    let attention = MultiHeadSelfAttention<Double>(width: 4, heads: 1, using: &rng)
    let x = randomTensor([6, 4], seed: 7)
    let maps = attention(Variable(x), batch: 2, length: 3).maps
    let q = matmul(x, attention.query.weight.value, transposeB: true)
    let k = matmul(x, attention.key.weight.value, transposeB: true)
    for b in 0..<2 {
      for i in 0..<3 {
        let scores = (0..<3).map { j in
          (0..<4).reduce(0.0) { $0 + q[b * 3 + i, $1] * k[b * 3 + j, $1] } / 2
        }
        let top = scores.max()!
        let total = scores.reduce(0) { $0 + Foundation.exp($1 - top) }
        for j in 0..<3 {
          #expect(abs(maps[0][b, i, j] - Foundation.exp(scores[j] - top) / total) <= 1e-14)
        }
      }
    }
  }
}

import Autodiff
import Experiments
import Foundation
import NN
import Tensors
import Testing

/// The per-head measures on weights with known answers: a single head (D = 4) with W_Q = I and
/// W_K = diag(2, 1, 1, 1) has M_QK = diag(2, 1, 1, 1): σ_max 2, stable rank (4 + 3)/4 = 1.75;
/// W_V = I, W_O = 3·I gives M_VO = 3I: σ_max 3, stable rank 4. Two heads split the rows: head 1
/// of that W_K sees the block diag(1, 1), σ_max 1 and stable rank 2. Entropies: a uniform map
/// over L = 4 keys has log 4, a one-hot map 0, a causal uniform map the mean of log(i + 1).
@Test func attentionHeadMeasuresOnKnownWeights() throws {
  var rng = SplittableRandom(seed: 1)
  let one = MultiHeadSelfAttention<Double>(width: 4, heads: 1, using: &rng)
  let two = MultiHeadSelfAttention<Double>(width: 4, heads: 2, using: &rng)
  for attention in [one, two] {
    var identity = Tensor<Double>.zeros([4, 4])
    for i in 0..<4 { identity[i, i] = 1 }
    attention.query.weight.value = identity
    var key = identity
    key[0, 0] = 2
    attention.key.weight.value = key
    attention.value.weight.value = identity
    attention.output.weight.value = identity.map { 3 * $0 }
  }
  let uniform = Tensor<Double>(repeating: 0.25, shape: [1, 4, 4])
  let single = try AttentionHeadMeasures.measure(one, maps: [uniform])
  #expect(single.count == 1)
  #expect(abs(single[0].queryKeySigmaMax - 2) <= 1e-12)
  #expect(abs(single[0].queryKeyStableRank - 1.75) <= 1e-12)
  #expect(abs(single[0].valueOutputSigmaMax - 3) <= 1e-12)
  #expect(abs(single[0].valueOutputStableRank - 4) <= 1e-12)
  #expect(abs(single[0].entropy - log(4)) <= 1e-12)
  let heads = try AttentionHeadMeasures.measure(two, maps: [uniform, uniform])
  #expect(
    abs(heads[0].queryKeySigmaMax - 2) <= 1e-12 && abs(heads[1].queryKeySigmaMax - 1) <= 1e-12)
  #expect(abs(heads[1].queryKeyStableRank - 2) <= 1e-12)

  var oneHot = Tensor<Double>.zeros([1, 4, 4])
  for i in 0..<4 { oneHot[0, i, 0] = 1 }
  #expect(AttentionHeadMeasures.entropy(oneHot) == 0)
  let causal = Tensor<Double>.zeros([1, 4, 4]).softmaxLastAxis(causal: true)
  let expected = (1...4).reduce(0.0) { $0 + log(Double($1)) } / 4
  #expect(abs(AttentionHeadMeasures.entropy(causal) - expected) <= 1e-12)
}

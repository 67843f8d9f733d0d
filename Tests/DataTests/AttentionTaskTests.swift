import Data
import Tensors
import Testing

/// The attention tasks' layouts and the toy sum's target against hand computations.
@Suite struct AttentionTaskTests {
  @Test func reverseScoresTheMirroredHalf() {
    var random = SplittableRandom(seed: 1)
    let batch = AttentionTask.reverse.batch(count: 5, length: 8, vocabulary: 6, using: &random)
    #expect(batch.positions == [4, 5, 6])
    for (tokens, targets) in zip(batch.tokens, batch.targets) {
      #expect(Array(tokens[4...]) == Array(tokens[..<4].reversed()))
      // Position p predicts token p + 1 = token 3 − (p + 1 − 4) of the first half.
      #expect(targets == [tokens[2], tokens[1], tokens[0]])
    }
  }

  @Test func inductionFirstHalvesHaveDistinctTokens() {
    var random = SplittableRandom(seed: 2)
    let batch = AttentionTask.induction.batch(count: 20, length: 16, vocabulary: 8, using: &random)
    for tokens in batch.tokens {
      #expect(Set(tokens[..<8]).count == 8)
      #expect(Array(tokens[8...]) == Array(tokens[..<8]))
    }
  }

  /// y = (1/L)(Σ_a x₁ᵃx₂ᵃ)(Σ_b x₃ᵇ) on a sequence written by hand (d = 4, L = 2, the fourth
  /// coordinate ignored): (1·2 + 3·(−1))·(5 + 0.5)/2 = −2.75.
  @Test func toySumTargetByHand() {
    let inputs = Tensor<Float>(shape: [2, 4], scalars: [1, 2, 5, 9, 3, -1, 0.5, -7])
    let y = AttentionTask.toySumTarget(inputs, sequence: 0, length: 2, dimension: 4)
    #expect(abs(y - -2.75) < 1e-12)
  }

  /// Var y = 1: E y² = E[S₁²]E[S₂²]/L² = L·L/L². Over n = 20 000 sequences of L = 16 the mean
  /// of y² has standard error √((E y⁴ − 1)/n) with E y⁴ = 3(3L² + 6L)/L² = 10.125, i.e.
  /// 0.021; the bound is 4 standard errors. The mean (0, SE 0.007) within 0.03.
  @Test func toySumTargetHasUnitVariance() {
    var random = SplittableRandom(seed: 3)
    let batch = AttentionTask.toySum.vectorBatch(
      count: 20_000, length: 16, dimension: 4, using: &random)
    let n = Double(batch.targets.count)
    let mean = batch.targets.reduce(0, +) / n
    let second = batch.targets.reduce(0) { $0 + $1 * $1 } / n
    #expect(abs(mean) < 0.03)
    #expect(abs(second - 1) < 4 * 0.0214)
  }

  @Test func problemsNameTheSize() {
    #expect(AttentionTask.copy.problem(length: 7, vocabulary: 4, dimension: 3) != nil)
    #expect(AttentionTask.induction.problem(length: 16, vocabulary: 7, dimension: 3) != nil)
    #expect(AttentionTask.toySum.problem(length: 16, vocabulary: 0, dimension: 2) != nil)
    #expect(AttentionTask.toySum.problem(length: 16, vocabulary: 0, dimension: 3) == nil)
  }
}

import Data
import Tensors
import Testing

/// For a constant input u the NARMA-10 recursion settles at the stable root of
/// y = 0.3y + 0.05·10·y² + 1.5u² + 0.1, i.e. y* = 0.7 − √(0.49 − 2(0.1 + 1.5u²)) (the window
/// sum is 10y* at the fixed point). u = 0.2 gives y* = 0.7 − √0.17 = 0.2876894374.
@Test func narmaSettlesAtItsFixedPointForConstantInput() {
  let y = narma10([Double](repeating: 0.2, count: 3000))
  let expected = 0.7 - 0.17.squareRoot()
  #expect(abs(y.last! - expected) < 1e-12, "\(y.last!) vs \(expected)")
}

/// The first outputs by hand: y₀…y₉ = 0 and y₁₀ = 1.5·u₀·u₉ + 0.1; then y₁₁ = 0.3y₁₀ +
/// 0.05·y₁₀·y₁₀ + 1.5·u₁·u₁₀ + 0.1 (only y₁₀ is nonzero in the window).
@Test func narmaFirstStepsByHand() {
  let u = (0..<12).map { 0.01 * Double($0 + 1) }
  let y = narma10(u)
  #expect(y[0..<10].allSatisfy { $0 == 0 })
  let y10 = 1.5 * u[0] * u[9] + 0.1
  #expect(abs(y[10] - y10) < 1e-15)
  #expect(abs(y[11] - (0.3 * y10 + 0.05 * y10 * y10 + 1.5 * u[1] * u[10] + 0.1)) < 1e-15)
}

/// Delayed recall: every head's target is the one-hot input `lag` steps earlier; symbols are
/// uniform (each of 3 within 5 standard errors of 1/3 over 12,000 draws).
@Test func delayedRecallTargetsAreTheDelayedInputs() {
  var rng = SplittableRandom(seed: 3)
  let lags = [1, 4, 7]
  let data = SequenceTask.delayedRecall(lags: lags, symbols: 3).generate(
    count: 300, length: 40, using: &rng)
  var counts = [0, 0, 0]
  for n in 0..<300 {
    func symbol(_ t: Int) -> Int { (0..<3).first { data.inputs[n, t, $0] == 1 }! }
    for t in 0..<40 {
      counts[symbol(t)] += 1
      for (j, lag) in lags.enumerated() where t >= 7 {
        #expect(Int(data.targets[n, t, j]) == symbol(t - lag))
      }
    }
  }
  let standardError = (12_000 * (1.0 / 3) * (2.0 / 3)).squareRoot()
  #expect(counts.allSatisfy { abs(Double($0) - 4000) < 5 * standardError }, "\(counts)")
}

/// Temporal parity: the target is the XOR of the last `window` input bits (read back from
/// the ±1 inputs).
@Test func temporalParityTargetsAreWindowXor() {
  var rng = SplittableRandom(seed: 4)
  let data = SequenceTask.temporalParity(window: 3).generate(count: 50, length: 20, using: &rng)
  for n in 0..<50 {
    for t in 2..<20 {
      let bits = (t - 2...t).map { data.inputs[n, $0, 0] > 0 ? 1 : 0 }
      #expect(Int(data.targets[n, t, 0]) == bits[0] ^ bits[1] ^ bits[2])
    }
  }
}

/// Step matrices gather the right sequences: row r of step t is sequence indices[r] at t.
@Test func sequenceStepsGatherRows() {
  var rng = SplittableRandom(seed: 5)
  let data = SequenceTask.narma10(burnIn: 10).generate(count: 6, length: 15, using: &rng)
  let steps: [Tensor<Double>] = data.inputSteps([4, 1])
  #expect(steps.count == 15)
  #expect(steps[7][0, 0] == data.inputs[4, 7, 0] && steps[7][1, 0] == data.inputs[1, 7, 0])
  let targets: [Tensor<Double>] = data.targetSteps([4, 1])
  #expect(targets[12][1, 0] == data.targets[1, 12, 0])
}

/// Bad task parameters are named.
@Test func sequenceTaskProblems() {
  #expect(SequenceTask.delayedRecall(lags: [0], symbols: 2).problem(length: 10) != nil)
  #expect(SequenceTask.delayedRecall(lags: [10], symbols: 2).problem(length: 10) != nil)
  #expect(SequenceTask.delayedRecall(lags: [3], symbols: 1).problem(length: 10) != nil)
  #expect(SequenceTask.temporalParity(window: 11).problem(length: 10) != nil)
  #expect(SequenceTask.narma10(burnIn: 5).problem(length: 50) != nil)
  #expect(SequenceTask.delayedRecall(lags: [3], symbols: 2).problem(length: 10) == nil)
}

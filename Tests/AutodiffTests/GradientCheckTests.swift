import Autodiff
import CritTestSupport
import Tensors
import Testing

/// Every operation's pullback against central finite differences in double precision.
/// Tolerance: relative error 1e-6 (the bound); with h = 1e-6 the finite-difference
/// error itself is around 1e-9 (see `checkGradients`).
let tolerance = 1e-6

func expectGradient(
  _ inputs: [Tensor<Double>], sourceLocation: SourceLocation = #_sourceLocation,
  _ f: ([Variable<Double>]) -> Variable<Double>
) {
  let result = checkGradients(at: inputs, f)
  #expect(result.relativeError < tolerance, "\(result)", sourceLocation: sourceLocation)
}

@Suite struct ArithmeticGradients {
  @Test(arguments: [
    ([3, 4], [3, 4]), ([3, 4], [4]), ([3, 4], [1, 4]), ([3, 4], [3, 1]), ([3, 4], []),
    ([4], [2, 3, 4]), ([2, 1, 4], [3, 1]),
  ])
  func broadcastingBinaryOperations(shapeA: [Int], shapeB: [Int]) {
    let a = randomTensor(shapeA, seed: 1)
    let b = randomTensor(shapeB, seed: 2, low: 0.5, high: 2)  // away from 0 for division
    expectGradient([a, b]) { weightedSum($0[0] + $0[1]) }
    expectGradient([a, b]) { weightedSum($0[0] - $0[1]) }
    expectGradient([a, b]) { weightedSum($0[0] * $0[1]) }
    expectGradient([a, b]) { weightedSum($0[0] / $0[1]) }
  }

  @Test func scalarOperations() {
    let x = randomTensor([2, 5], seed: 3)
    expectGradient([x]) { weightedSum($0[0] * 1.7) }
    expectGradient([x]) { weightedSum(-0.3 * $0[0]) }
    expectGradient([x]) { weightedSum($0[0] + 2.5) }
    expectGradient([x]) { weightedSum(-$0[0]) }
  }

  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matrixProduct(transposeA: Bool, transposeB: Bool) {
    let a = randomTensor(transposeA ? [4, 3] : [3, 4], seed: 4)
    let b = randomTensor(transposeB ? [5, 4] : [4, 5], seed: 5)
    expectGradient([a, b]) {
      weightedSum(matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB))
    }
  }

  @Test func affineLayer() {
    let x = randomTensor([6, 4], seed: 6)
    let w = randomTensor([3, 4], seed: 7)
    let b = randomTensor([3], seed: 8)
    expectGradient([x, w, b]) { weightedSum(linear($0[0], weight: $0[1], bias: $0[2])) }
    expectGradient([x, w]) { weightedSum(linear($0[0], weight: $0[1], bias: nil)) }
  }
}

@Suite struct ElementwiseGradients {
  static let names = [
    "relu", "leaky-relu", "tanh", "sigmoid", "gelu", "erf", "identity", "exp", "square",
  ]

  static func function(_ name: String) -> (Variable<Double>) -> Variable<Double> {
    switch name {
    case "relu": return { relu($0) }
    case "leaky-relu": return { leakyRelu($0, slope: 0.1) }
    case "tanh": return { tanh($0) }
    case "sigmoid": return { sigmoid($0) }
    case "gelu": return { gelu($0) }
    case "erf": return { erf($0) }
    case "identity": return { identity($0) }
    case "exp": return { exp($0) }
    default: return { square($0) }
    }
  }

  @Test(arguments: 0..<names.count)
  func nonlinearity(index: Int) {
    let name = Self.names[index]
    let f = Self.function(name)
    // Away from 0: ReLU and leaky ReLU have a kink there.
    let x = randomTensorAwayFromZero([3, 7], seed: UInt64(10 + index)) * 2
    let result = checkGradients(at: [x]) { weightedSum(f($0[0])) }
    #expect(result.relativeError < tolerance, "\(name): \(result)")
  }

  @Test func logarithm() {
    expectGradient([randomTensor([3, 4], seed: 20, low: 0.2, high: 3)]) { weightedSum(log($0[0])) }
  }
}

@Suite struct ReductionAndShapeGradients {
  @Test func reductions() {
    let x = randomTensor([3, 4, 2], seed: 30)
    expectGradient([x]) { sum($0[0]) * 1.3 }
    expectGradient([x]) { mean($0[0]) * 0.7 }
    for axis in 0..<3 {
      expectGradient([x]) { weightedSum(sum($0[0], alongAxis: axis)) }
      expectGradient([x]) { weightedSum(mean($0[0], alongAxis: axis, keepingDimension: true)) }
    }
  }

  @Test func shapes() {
    let x = randomTensor([3, 4], seed: 31)
    expectGradient([x]) { weightedSum(reshape($0[0], [2, 6])) }
    expectGradient([x]) { weightedSum(transpose($0[0])) }
    expectGradient([x]) { weightedSum(slice($0[0], alongAxis: 0, 1..<3)) }
    expectGradient([x]) { weightedSum(slice($0[0], alongAxis: 1, 0..<2)) }
    let y = randomTensor([3, 2], seed: 32)
    expectGradient([x, y]) { weightedSum(concatenate([$0[0], $0[1]], alongAxis: 1)) }
    let z = randomTensor([1, 4], seed: 33)
    expectGradient([x, z]) { weightedSum(concatenate([$0[0], $0[1], $0[0]], alongAxis: 0)) }
  }
}

@Suite struct SoftmaxAndLossGradients {
  @Test func softmaxFamily() {
    let x = randomTensor([4, 5], seed: 40, low: -3, high: 3)
    expectGradient([x]) { weightedSum(softmax($0[0])) }
    expectGradient([x]) { weightedSum(logSoftmax($0[0])) }
    expectGradient([x]) { crossEntropy(logits: $0[0], labels: [0, 4, 2, 2]) }
  }

  @Test func meanSquaredErrorBothArguments() {
    let p = randomTensor([4, 3], seed: 41)
    let t = randomTensor([4, 3], seed: 42)
    expectGradient([p, t]) { meanSquaredError($0[0], $0[1]) }
  }

  /// Known value: uniform logits over k classes give cross-entropy log k exactly.
  @Test func crossEntropyOfUniformLogitsIsLogK() {
    let loss = crossEntropy(logits: Variable(Tensor<Double>.zeros([3, 5])), labels: [0, 1, 4])
    #expect(isApproximatelyEqual(loss.value.scalar, Double.log(5), absolute: 1e-15))
  }
}

@Suite struct NormalizationGradients {
  @Test func layerNormalization() {
    let x = randomTensor([4, 6], seed: 50)
    let g = randomTensor([6], seed: 51, low: 0.5, high: 1.5)
    let b = randomTensor([6], seed: 52)
    expectGradient([x, g, b]) { weightedSum(layerNorm($0[0], gamma: $0[1], beta: $0[2])) }
  }

  @Test func batchNormalizationTrainingMode() {
    let x = randomTensor([5, 3], seed: 53)
    let g = randomTensor([3], seed: 54, low: 0.5, high: 1.5)
    let b = randomTensor([3], seed: 55)
    expectGradient([x, g, b]) {
      weightedSum(batchNormTraining($0[0], gamma: $0[1], beta: $0[2]).output)
    }
  }

  @Test func batchNormalizationEvaluationMode() {
    let x = randomTensor([5, 3], seed: 56)
    let g = randomTensor([3], seed: 57, low: 0.5, high: 1.5)
    let b = randomTensor([3], seed: 58)
    let mean = randomTensor([3], seed: 59)
    let variance = randomTensor([3], seed: 60, low: 0.5, high: 2)
    expectGradient([x, g, b]) {
      weightedSum(
        batchNormInference(
          $0[0], gamma: $0[1], beta: $0[2], runningMean: mean, runningVariance: variance))
    }
  }

  /// Known values: batch norm in training mode gives every feature zero mean and (biased)
  /// variance 1/(1 + ε/σ²) before the affine part.
  @Test func batchNormalizationStandardizesFeatures() {
    let x = randomTensor([64, 3], seed: 61, low: -5, high: 9)
    let y = batchNormTraining(
      Variable(x), gamma: Variable(.ones([3])), beta: Variable(.zeros([3])), epsilon: 0
    ).output.value
    let means = y.mean(alongAxis: 0)
    let variances = (y * y).mean(alongAxis: 0)
    for j in 0..<3 {
      #expect(abs(means[j]) < 1e-12)
      #expect(abs(variances[j] - 1) < 1e-12)
    }
  }

  @Test func dropoutModes() {
    let x = randomTensor([6, 5], seed: 62)
    // Training: the same generator seed gives the same mask in every evaluation of f.
    expectGradient([x]) {
      var rng = SplittableRandom(seed: 63)
      return weightedSum(dropout($0[0], rate: 0.4, training: true, using: &rng))
    }
    expectGradient([x]) {
      var rng = SplittableRandom(seed: 63)
      return weightedSum(dropout($0[0], rate: 0.4, training: false, using: &rng))
    }
  }

  /// Inverted dropout keeps the expectation: E[dropout(x)] = x (checked on the mean of a
  /// large constant input; standard error √(p/(1−p)/n) ≈ 0.0026 for p = 0.4, n = 10⁵).
  @Test func dropoutPreservesTheMean() {
    var rng = SplittableRandom(seed: 64)
    let y = dropout(
      Variable(Tensor<Double>.ones([100_000])), rate: 0.4, training: true, using: &rng)
    #expect(abs(y.value.mean() - 1) < 0.013)
  }
}

@Suite struct GraphMechanics {
  /// A variable used twice accumulates both contributions: d(x·x)/dx = 2x.
  @Test func sharedInputsAccumulate() {
    let x = Variable(Tensor<Double>(shape: [3], scalars: [1, -2, 3]), requiresGradient: true)
    sum(x * x).backward()
    #expect(x.grad?.scalars == [2, -4, 6])
  }

  @Test func constantsRecordNothing() {
    let a = Variable(Tensor<Double>.ones([2]))
    let b = tanh(a * a)
    #expect(!b.requiresGradient)
  }
}

/// The checker itself must fail on a wrong pullback (here one that doubles the gradient).
@Test func gradientCheckCatchesAWrongPullback() {
  let result = checkGradients(at: [randomTensor([4], seed: 70)]) { inputs in
    let x = inputs[0]
    let wrong = Variable(x.value * 3, inputs: [x]) { g in [g * 6] }
    return weightedSum(wrong)
  }
  #expect(result.relativeError > 0.3)
}

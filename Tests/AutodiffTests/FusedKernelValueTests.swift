import Autodiff
import CritTestSupport
import Foundation
import Tensors
import Testing

/// The fused kernels' forward values against direct computations (their gradients are checked
/// against finite differences of these same forward passes elsewhere, so the values need their
/// own reference).
@Suite struct FusedKernelValueTests {
  /// LayerNorm row by row from the definition: (x − mean)/√(var + ε)·γ + β with the biased
  /// variance, in double precision (differences are rounding, ~1e-15).
  @Test func layerNormValues() {
    let x = randomTensor([5, 7], seed: 1, low: -3, high: 3)
    let gamma = randomTensor([7], seed: 2)
    let beta = randomTensor([7], seed: 3)
    let y = layerNorm(Variable(x), gamma: Variable(gamma), beta: Variable(beta)).value
    for r in 0..<5 {
      let row = (0..<7).map { x[r, $0] }
      let mean = row.reduce(0, +) / 7
      let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 7
      for j in 0..<7 {
        let expected =
          (row[j] - mean) / (variance + 1e-5).squareRoot() * gamma[flat: j] + beta[flat: j]
        #expect(abs(y[r, j] - expected) < 1e-13)
      }
    }
  }

  /// The single-precision GELU node (the vectorised kernel) against the double-precision node
  /// (libm's erf) on the same inputs, values and the pullback's slopes: to 4·10⁻⁷ of
  /// max(1, |x|) (FastGELU's tested accuracy; the inputs are exact in both precisions).
  @Test func singlePrecisionGELUAgreesWithDouble() {
    let values: [Double] = (0..<401).map { Double(Float(Double($0) / 20 - 10)) }
    let double = Variable(Tensor<Double>(shape: [401], scalars: values), requiresGradient: true)
    let single = Variable(
      Tensor<Float>(shape: [401], scalars: values.map { Float($0) }), requiresGradient: true)
    let (yd, ys) = (gelu(double), gelu(single))
    yd.backward(seed: Tensor(repeating: 1, shape: [401]))
    ys.backward(seed: Tensor(repeating: 1, shape: [401]))
    for (i, x) in values.enumerated() {
      let scale = max(1, abs(x))
      #expect(abs(Double(ys.value[flat: i]) - yd.value[flat: i]) <= 4e-7 * scale, "x = \(x)")
      #expect(
        abs(Double(single.grad![flat: i]) - double.grad![flat: i]) <= 4e-7 * scale, "x = \(x)")
    }
  }
}

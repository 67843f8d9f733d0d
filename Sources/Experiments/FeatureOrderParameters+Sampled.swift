import Data
import NN
import Tensors

extension FeatureOrderParameters {
  /// The same order parameters estimated on a sample, for any activation (SPEC §6): with
  /// z_μ = w*·x_μ over the rows x_μ of `inputs`,
  /// `A = Σ f y/Σ y²`, `f_k = mean(f He_k(z))/k!`, the test error `mean((f − y)²)` split as in
  /// the closed form (linear `(f₁ − y₁)²`, cubic `6(f₃ − y₃)²`, the rest the remainder), and the
  /// alignments from the weights (exact). Biases enter f as the network has them.
  public init(
    sampled network: TwoLayerNetwork, teacher: [Double], target: HermiteTarget,
    inputs: Tensor<Double>, threshold: Double = 0.8
  ) {
    precondition(teacher.count == network.inputs, "one teacher entry per input")
    let (n, d) = (network.width, network.inputs)
    let outputs = network.outputs(inputs)
    var (fy, yy, error, f1, f3) = (0.0, 0.0, 0.0, 0.0, 0.0)
    for row in 0..<inputs.rows {
      var z = 0.0
      for i in 0..<d { z += teacher[i] * inputs.scalars[row * d + i] }
      let (f, y) = (outputs[row], target.value(z))
      fy += f * y
      yy += y * y
      error += (f - y) * (f - y)
      f1 += f * z
      f3 += f * HermiteTarget.hermite(3, z)
    }
    let count = Double(max(inputs.rows, 1))
    (f1, f3) = (f1 / count, f3 / count / 6)
    let (y1, y3) = target.linearAndCubicCoefficients
    let m = network.multipliers
    let weights = (0..<n).map { j in (0..<d).map { m.weights * network.parameters[j * d + $0] } }
    let alignments = weights.map { w in
      let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
      let overlap = zip(w, teacher).reduce(0) { $0 + $1.0 * $1.1 }
      return abs(overlap) / max(norm, .leastNormalMagnitude)
    }
    let linear = (f1 - y1) * (f1 - y1)
    let cubic = 6 * (f3 - y3) * (f3 - y3)
    self.init(
      overlap: yy > 0 ? fy / yy : .nan, linearCoefficient: f1, cubicCoefficient: f3,
      testError: error / count, linearError: linear, cubicError: cubic,
      remainingError: error / count - linear - cubic, alignments: alignments,
      specialised: alignments.filter { $0 > threshold }.count)
  }
}

extension HermiteTarget {
  /// The target's coefficients y₁, y₃ on He₁ and He₃.
  public var linearAndCubicCoefficients: (Double, Double) {
    switch self {
    case .hermite(let k): return (k == 1 ? 1 : 0, k == 3 ? 1 : 0)
    case .mixed(let epsilon): return (1, epsilon)
    }
  }
}

import NN
import Tensors

/// Signal propagation measured on one random network of finite width: weights
/// `N(0, σ_w²/N)`, biases `N(0, σ_b²)`, fresh at every layer; `inputs` Gaussian inputs of
/// squared length N·q₀ (q₀ = 1), the first two with correlation `initialCorrelation`.
///
/// Per layer `l` it records the mean squared pre-activation `q^l` (over units and inputs), the
/// empirical χ₁ `‖D_l W_l‖_F²/N` averaged over inputs, and the correlation `c^l` of the first
/// two inputs' pre-activations — the quantities ``MeanField`` predicts.
public struct RandomNetworkMeasurement: Sendable {
  public var lengths: [Double]
  public var chi1: [Double]
  public var correlations: [Double]

  public init(
    activation: Activation, weightVariance: Double, biasVariance: Double, width: Int = 1000,
    depth: Int = 50, inputs: Int = 4, initialCorrelation: Double = 0.5, seed: UInt64
  ) {
    precondition(width >= 2 && depth >= 1 && inputs >= 2, "need width ≥ 2, depth ≥ 1, 2 inputs")
    var rng = SplittableRandom(seed: seed)
    // Inputs as columns: x₂ = c·x₁ + √(1−c²)·ξ, so their correlation is c in expectation.
    var columns = (0..<inputs).map { _ in (0..<width).map { _ in rng.nextNormal() } }
    let c = initialCorrelation
    columns[1] = zip(columns[0], columns[1]).map { c * $0 + (1 - c * c).squareRoot() * $1 }
    var h = Tensor<Double>(shape: [width, inputs]) { columns[$0 % inputs][$0 / inputs] }
    lengths = []
    chi1 = []
    correlations = []
    for _ in 0..<depth {
      let w = Tensor<Double>.randomNormal(
        [width, width], standardDeviation: (weightVariance / Double(width)).squareRoot(),
        using: &rng)
      let bias = (0..<width).map { _ in rng.nextNormal() * biasVariance.squareRoot() }
      let z = matmul(w, h).scalars
      let weights = w.scalars
      var next = [Double](repeating: 0, count: width * inputs)
      var squares = 0.0
      var chi = 0.0
      var (dot, first, second) = (0.0, 0.0, 0.0)
      for i in 0..<width {
        var rowNorm = 0.0
        for j in 0..<width { rowNorm += weights[i * width + j] * weights[i * width + j] }
        for k in 0..<inputs {
          let pre = z[i * inputs + k] + bias[i]
          next[i * inputs + k] = activation.value(pre)
          squares += pre * pre
          let d = activation.derivative(pre)
          chi += d * d * rowNorm
        }
        let (a, b) = (z[i * inputs] + bias[i], z[i * inputs + 1] + bias[i])
        dot += a * b
        first += a * a
        second += b * b
      }
      lengths.append(squares / Double(width * inputs))
      chi1.append(chi / Double(width * inputs))
      correlations.append(dot / (first * second).squareRoot())
      h = Tensor(shape: [width, inputs], scalars: next)
    }
  }
}

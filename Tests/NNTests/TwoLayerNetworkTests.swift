import NN
import Tensors
import Testing

/// The hand-written backpropagation of ``TwoLayerNetwork`` against central finite differences
/// of the loss ½Σ(f − y)² over every parameter (d = 3, N = 5: 26 parameters), in both
/// parameterisations, for smooth activations. With h = 1e-6 the difference quotient's
/// truncation error is O(h²) ≈ 1e-12 and its rounding error ≈ 1e-10·|L|, so 1e-6 relative
/// is a wide margin that a wrong factor (a missing multiplier, σ_w vs σ_w²) cannot meet.
@Test(
  arguments: [Activation.erf, .tanh, .gelu],
  TwoLayerNetwork.Parameterisation.allCases)
func twoLayerGradientMatchesFiniteDifferences(
  activation: Activation, parameterisation: TwoLayerNetwork.Parameterisation
) {
  let network = TwoLayerNetwork(
    inputs: 3, width: 5, activation: activation, weightStd: 1.3, biasStd: 0.4,
    parameterisation: parameterisation, seed: 7)
  var random = SplittableRandom(seed: 2)
  let x = Tensor<Double>.randomNormal([4, 3], using: &random)
  let y = (0..<4).map { _ in random.nextNormal() }
  func loss(_ parameters: [Double]) -> Double {
    var copy = network
    copy.parameters = parameters
    return zip(copy.outputs(x), y).reduce(0) { $0 + 0.5 * ($1.0 - $1.1) * ($1.0 - $1.1) }
  }
  let (_, analytic) = network.outputsAndGradient(x) { f in zip(f, y).map { $0 - $1 } }
  let h = 1e-6
  var numeric = [Double](repeating: 0, count: network.parameterCount)
  for i in numeric.indices {
    var plus = network.parameters
    var minus = network.parameters
    plus[i] += h
    minus[i] -= h
    numeric[i] = (loss(plus) - loss(minus)) / (2 * h)
  }
  let difference = zip(numeric, analytic).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
  let size = numeric.reduce(0) { $0 + $1 * $1 }
  #expect((difference / size).squareRoot() < 1e-6)
}

/// The empirical tangent kernel's closed form equals ∇f(x_μ)·∇f(x_ν) assembled from the
/// per-point gradients (output gradient e_μ), to rounding (1e-12 relative).
@Test(arguments: [Activation.relu, .erf], TwoLayerNetwork.Parameterisation.allCases)
func tangentKernelIsTheGramMatrixOfGradients(
  activation: Activation, parameterisation: TwoLayerNetwork.Parameterisation
) {
  let network = TwoLayerNetwork(
    inputs: 4, width: 16, activation: activation, weightStd: 1.5, biasStd: 0.3,
    parameterisation: parameterisation, seed: 5)
  var random = SplittableRandom(seed: 9)
  let x = Tensor<Double>.randomNormal([5, 4], using: &random)
  let gradients = (0..<5).map { mu in
    network.outputsAndGradient(x) { f in f.indices.map { $0 == mu ? 1 : 0 } }.gradient
  }
  let kernel = network.tangentKernel(x)
  for mu in 0..<5 {
    for nu in 0..<5 {
      let expected = zip(gradients[mu], gradients[nu]).reduce(0) { $0 + $1.0 * $1.1 }
      #expect(abs(kernel[mu, nu] - expected) <= 1e-12 * max(1, abs(expected)))
    }
  }
}

/// Both parameterisations compute the same function from the same seed (the standard one holds
/// the multipliers in its parameters), so their outputs agree to rounding.
@Test func parameterisationsAgreeAtInitialisation() {
  var random = SplittableRandom(seed: 1)
  let x = Tensor<Double>.randomNormal([6, 3], using: &random)
  let ntk = TwoLayerNetwork(
    inputs: 3, width: 8, activation: .erf, weightStd: 1.2, biasStd: 0.5, seed: 4)
  let standard = TwoLayerNetwork(
    inputs: 3, width: 8, activation: .erf, weightStd: 1.2, biasStd: 0.5,
    parameterisation: .standard, seed: 4)
  for (a, b) in zip(ntk.outputs(x), standard.outputs(x)) {
    #expect(abs(a - b) <= 1e-12 * max(1, abs(a)))
  }
}

/// Each layer's top curvature is the top eigenvalue of that layer's part of the tangent kernel,
/// Σ over the layer's parameters of ∂f(x_μ)·∂f(x_ν), assembled from the per-point gradients and
/// diagonalised by LAPACK. The readout's is exact (1e-10 relative); the hidden layer's comes from
/// 400 power iterations, which converge like (λ₂/λ₁)^{800}: 1e-8 relative.
@Test(arguments: TwoLayerNetwork.Parameterisation.allCases, [0.0, 0.4])
func layerCurvaturesAreTheTopEigenvaluesOfTheLayerKernels(
  parameterisation: TwoLayerNetwork.Parameterisation, biasStd: Double
) throws {
  let network = TwoLayerNetwork(
    inputs: 5, width: 7, activation: .erf, weightStd: 1.3, biasStd: biasStd,
    parameterisation: parameterisation, seed: 8)
  var random = SplittableRandom(seed: 2)
  let x = Tensor<Double>.randomNormal([12, 5], using: &random)
  let gradients = (0..<12).map { mu in
    network.outputsAndGradient(x) { f in f.indices.map { $0 == mu ? 1 : 0 } }.gradient
  }
  let hiddenCount = 7 * 5 + 7
  func topEigenvalue(_ parameters: Range<Int>) throws -> Double {
    var gram = Tensor<Double>.zeros([12, 12])
    for mu in 0..<12 {
      for nu in 0..<12 {
        gram[mu, nu] = parameters.reduce(0) { $0 + gradients[mu][$1] * gradients[nu][$1] }
      }
    }
    return try symmetricEigenvalues(gram).last!
  }
  let curvatures = try network.layerCurvatures(x, iterations: 400)
  let hidden = try topEigenvalue(0..<hiddenCount)
  let readout = try topEigenvalue(hiddenCount..<network.parameterCount)
  #expect(abs(curvatures.hidden - hidden) <= 1e-8 * hidden, "\(curvatures.hidden) vs \(hidden)")
  #expect(
    abs(curvatures.readout - readout) <= 1e-10 * readout, "\(curvatures.readout) vs \(readout)")
}

import Data
import Experiments
import NN
import Tensors
import Testing

/// The closed-form order parameters against Monte Carlo over 10⁶ fresh Gaussian inputs: an
/// erf network of width 12 in d = 8 (standard parameterisation, σ_w = 1, no biases) whose
/// first three neurons are turned towards the teacher (so that the cubic part is not small),
/// on He₃, He₂ (an even target an odd network cannot overlap: A = 0) and z + 0.3 He₃.
/// Every estimate — E[f He₁]/1!, E[f He₃]/3!, A = E[f y]/E[y²] and E[(f − y)²] — is held to
/// 4 of its standard errors (from the same samples; 4 so that the dozen checks rarely trip by
/// chance, and a fixed seed makes the outcome deterministic). The alignments are exact
/// cosines, checked directly.
@Test func featureOrderParametersMatchMonteCarlo() {
  let (d, n) = (8, 12)
  var network = TwoLayerNetwork(
    inputs: d, width: n, activation: .erf, weightStd: 1, biasStd: 0, parameterisation: .standard,
    seed: 4)
  var random = SplittableRandom(seed: 9)
  var teacher = (0..<d).map { _ in random.nextNormal() }
  let length = teacher.reduce(0) { $0 + $1 * $1 }.squareRoot()
  teacher = teacher.map { $0 / length }
  for j in 0..<3 {
    for i in 0..<d { network.parameters[j * d + i] = (j == 1 ? -1.2 : 0.9) * teacher[i] }
  }
  network.parameters[d] += 0.3 * teacher[0]  // neuron 1 slightly off the teacher direction
  let samples = 1_000_000
  let batch = 100_000
  let targets: [HermiteTarget] = [.hermite(order: 3), .hermite(order: 2), .mixed(epsilon: 0.3)]
  // Per target: sums (and sums of squares) of f·He₁, f·He₃, f·y, (f − y)².
  var sums = [[Double]](repeating: [0, 0, 0, 0], count: targets.count)
  var squares = sums
  for _ in 0..<(samples / batch) {
    let x = Tensor<Double>.randomNormal([batch, d], using: &random)
    let f = network.outputs(x)
    for row in 0..<batch {
      var z = 0.0
      for i in 0..<d { z += teacher[i] * x.scalars[row * d + i] }
      for (t, target) in targets.enumerated() {
        let y = target.value(z)
        let values = [
          f[row] * z, f[row] * HermiteTarget.hermite(3, z), f[row] * y,
          (f[row] - y) * (f[row] - y),
        ]
        for (k, v) in values.enumerated() {
          sums[t][k] += v
          squares[t][k] += v * v
        }
      }
    }
  }
  for (t, target) in targets.enumerated() {
    let exact = FeatureOrderParameters(network: network, teacher: teacher, target: target)
    let expected = [
      exact.linearCoefficient, 6 * exact.cubicCoefficient, exact.overlap * target.squaredNorm,
      exact.testError,
    ]
    for k in 0..<4 {
      let mean = sums[t][k] / Double(samples)
      let standardError =
        ((squares[t][k] / Double(samples) - mean * mean) / Double(samples)).squareRoot()
      #expect(
        abs(mean - expected[k]) <= 4 * standardError,
        "\(target), quantity \(k): Monte Carlo \(mean) ± \(standardError), closed form \(expected[k])"
      )
    }
    #expect(
      abs(exact.linearError + exact.cubicError + exact.remainingError - exact.testError) <= 1e-12)
    if case .hermite(2) = target { #expect(exact.overlap == 0) }
  }
  let parameters = FeatureOrderParameters(
    network: network, teacher: teacher, target: .hermite(order: 3))
  #expect(abs(parameters.alignments[0] - 1) < 1e-12 && abs(parameters.alignments[2] - 1) < 1e-12)
  #expect(parameters.alignments[1] < 1 && parameters.alignments[1] > 0.8)
  #expect(parameters.specialised >= 3)
}

/// The sampled order parameters (for activations without closed forms) against the erf
/// closed forms, on 4·10⁵ Gaussian inputs with the network's first two neurons turned towards
/// the teacher: f₁ and f₃ within 4 standard errors of their sample means (sd(f·He_k)/(k!√n)),
/// A = Σfy/Σy² within 4 delta-method standard errors sd(f y − A y²)/(√n E[y²]); the alignments
/// are the same cosines.
@Test(arguments: [HermiteTarget.hermite(order: 3), .mixed(epsilon: 0.5)])
func sampledOrderParametersMatchTheClosedForms(target: HermiteTarget) {
  let (d, n, samples) = (6, 8, 400_000)
  var network = TwoLayerNetwork(
    inputs: d, width: n, activation: .erf, weightStd: 1, biasStd: 0, parameterisation: .standard,
    seed: 11)
  var random = SplittableRandom(seed: 12)
  let teacher = HighDimensional.unitVector(dimension: d, using: &random)
  for i in 0..<d {
    network.parameters[i] = 1.1 * teacher[i]
    network.parameters[d + i] = -0.7 * teacher[i]
  }
  for j in 0..<n { network.parameters[n * d + n + j] *= 3 }
  let x = Tensor<Double>.randomNormal([samples, d], using: &random)
  let sampled = FeatureOrderParameters(
    sampled: network, teacher: teacher, target: target, inputs: x)
  let exact = FeatureOrderParameters(network: network, teacher: teacher, target: target)
  let f = network.outputs(x)
  var moments = [Double](repeating: 0, count: 6)  // Σ(fz), Σ(fz)², Σ(fHe₃), Σ(fHe₃)², Σr, Σr²
  for row in 0..<samples {
    var z = 0.0
    for i in 0..<d { z += teacher[i] * x.scalars[row * d + i] }
    let y = target.value(z)
    let r = f[row] * y - exact.overlap * y * y
    for (k, v) in [f[row] * z, f[row] * HermiteTarget.hermite(3, z), r].enumerated() {
      moments[2 * k] += v
      moments[2 * k + 1] += v * v
    }
  }
  func standardError(_ k: Int) -> Double {
    let mean = moments[2 * k] / Double(samples)
    return ((moments[2 * k + 1] / Double(samples) - mean * mean) / Double(samples)).squareRoot()
  }
  #expect(abs(sampled.linearCoefficient - exact.linearCoefficient) <= 4 * standardError(0))
  #expect(abs(sampled.cubicCoefficient - exact.cubicCoefficient) <= 4 * standardError(1) / 6)
  #expect(
    abs(sampled.overlap - exact.overlap) <= 4 * standardError(2) / target.squaredNorm,
    "sampled \(sampled.overlap), exact \(exact.overlap)")
  #expect(sampled.alignments.count == n && sampled.specialised == exact.specialised)
  for (a, b) in zip(sampled.alignments, exact.alignments) { #expect(abs(a - b) <= 1e-12) }
}

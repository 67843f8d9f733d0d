import NN
import Tensors
import Testing

/// Langevin sampling reproduces a known posterior. Bayesian linear regression: L = ½‖Xθ − y‖²
/// (30 points, 3 weights), temperature T = 0.25 (the noise variance), prior N(0, 1) on each
/// weight. The posterior is Gaussian with precision H = XᵀX/T + I and mean H⁻¹Xᵀy/T.
///
/// 10 000 independent chains from θ = 0, run for 20 relaxation times of the slowest mode
/// (ηTλ_min per step), so the start is forgotten to e^{−20} ≈ 2·10⁻⁹; each chain's last state is one
/// independent draw. The step makes ηTλ_max = 0.01, so the discretisation inflates variances by
/// at most 1/(1 − 0.005) ≈ 0.5 % and leaves the mean exact. Means are held to 4 standard errors
/// √(Σ_ii/N); covariance entries to 4 standard errors √((Σ_iiΣ_jj + Σ_ij²)/N) plus that 0.5 %:
/// with nine checked quantities a false alarm has probability below 10⁻³. A sampler whose noise
/// variance is 20 % low (1.6ηT instead of 2ηT) fails five of the six covariance checks.
///
/// With a diagonal preconditioner (steps η·(1, ½, ¼), each weight its own step) the same
/// posterior: factors ≤ 1 keep the discretisation bound, and the chains run for 20 relaxation
/// times of the slowest preconditioned mode (bounded by ¼ηTλ_min).
@Test(arguments: [[1.0, 1, 1], [1.0, 0.5, 0.25]])
func langevinSamplesTheGaussianPosteriorOfLinearRegression(stepScales: [Double]) throws {
  var random = SplittableRandom(seed: 3)
  let (n, p, chains, temperature) = (30, 3, 10_000, 0.25)
  let x = Tensor<Double>.randomNormal([n, p], using: &random)
  let truth = Tensor<Double>(shape: [p, 1], scalars: [0.8, -0.5, 0.3])
  var y = matmul(x, truth)
  for i in 0..<n { y[i, 0] += 0.5 * random.nextNormal() }

  var precision = matmul(x, x, transposeA: true)
  for i in 0..<p {
    for j in 0..<p { precision[i, j] /= temperature }
    precision[i, i] += 1
  }
  let rhs = matmul(x, y, transposeA: true).scalars.map { $0 / temperature }
  let mean = try solvePositiveDefinite(precision, Tensor(shape: [p, 1], scalars: rhs)).scalars
  var identity = Tensor<Double>.zeros([p, p])
  for i in 0..<p { identity[i, i] = 1 }
  let covariance = try solvePositiveDefinite(precision, identity)
  let curvature = try symmetricEigenvalues(precision)

  let step = 0.01 / (temperature * curvature.last!)
  let slowest = stepScales.min()!
  let steps = Int((20 / (step * slowest * temperature * curvature.first!)).rounded(.up))
  let sampler = LangevinSampler(step: step, temperature: temperature)
  var theta = [Double](repeating: 0, count: chains * p)
  // ∇L = XᵀXθ − Xᵀy for every chain at once: Θ (XᵀX) − 1(Xᵀy)ᵀ, Θ = chains × p.
  let gram = matmul(x, x, transposeA: true)
  let correlation = matmul(x, y, transposeA: true).scalars
  for _ in 0..<steps {
    var gradient = matmul(Tensor(shape: [chains, p], scalars: theta), gram).scalars
    for index in gradient.indices { gradient[index] -= correlation[index % p] }
    sampler.update(
      &theta, gradient: gradient, priorVariance: { _ in 1 }, stepScale: { stepScales[$0 % p] },
      using: &random)
  }

  let samples = Double(chains)
  var sampleMean = [Double](repeating: 0, count: p)
  for c in 0..<chains { for i in 0..<p { sampleMean[i] += theta[c * p + i] / samples } }
  for i in 0..<p {
    let standardError = (covariance[i, i] / samples).squareRoot()
    #expect(
      abs(sampleMean[i] - mean[i]) <= 4 * standardError,
      "mean \(i): \(sampleMean[i]) vs \(mean[i]) (SE \(standardError))")
  }
  for i in 0..<p {
    for j in i..<p {
      var value = 0.0
      for c in 0..<chains {
        value += (theta[c * p + i] - sampleMean[i]) * (theta[c * p + j] - sampleMean[j])
      }
      value /= samples - 1
      let exact = covariance[i, j]
      let standardError =
        ((covariance[i, i] * covariance[j, j] + exact * exact) / samples).squareRoot()
      #expect(
        abs(value - exact) <= 4 * standardError + 0.005 * abs(exact),
        "covariance (\(i),\(j)): \(value) vs \(exact) (SE \(standardError))")
    }
  }
}

/// The drift is T times the gradient of the potential U = L/T + θ²/(2σ²): against a central
/// finite difference of U (L = ½(aθ − b)², so ∂L/∂θ = a(aθ − b) exactly) at several θ, T, σ².
/// U is a quadratic, so the central difference is exact up to rounding: 1e-7 relative.
@Test func langevinDriftIsTheGradientOfThePotential() {
  let (a, b) = (1.7, 0.4)
  for (theta, temperature, variance) in [(0.3, 0.5, 2.0), (-1.2, 0.01, 0.1), (2.5, 3.0, 1.0)] {
    let sampler = LangevinSampler(step: 0.1, temperature: temperature)
    func potential(_ t: Double) -> Double {
      0.5 * (a * t - b) * (a * t - b) / temperature + t * t / (2 * variance)
    }
    let h = 1e-4
    let numeric = temperature * (potential(theta + h) - potential(theta - h)) / (2 * h)
    let drift = sampler.drift(theta, gradient: a * (a * theta - b), priorVariance: variance)
    #expect(abs(drift - numeric) <= 1e-7 * max(abs(numeric), 1), "\(drift) vs \(numeric)")
  }
}

/// A parameter with prior variance 0 (a point mass) is held at 0 whatever its gradient, while
/// the others move.
@Test func langevinHoldsPointMassParametersAtZero() {
  var random = SplittableRandom(seed: 1)
  var parameters = [0.5, 0.5, 0.5]
  LangevinSampler(step: 0.1, temperature: 1).update(
    &parameters, gradient: [1, 1, 1], priorVariance: { $0 == 1 ? 0 : 1 }, using: &random)
  #expect(parameters[1] == 0)
  #expect(parameters[0] != 0.5 && parameters[2] != 0.5)
}

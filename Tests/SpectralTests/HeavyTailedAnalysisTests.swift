import CritTestSupport
import Foundation
import Spectral
import Tensors
import Testing

/// A Gaussian 1000×500 matrix (entry variance 1): its ESD is a Marchenko–Pastur bulk with
/// σ = 1 (in units of the mean eigenvalue) and edge N(1 + 1/√2)² = 2914, no spikes, and no heavy tail (α large); the eigenvalues
/// equal LAPACK's squared singular values (the reference tool's normalisation: not divided by N).
@Test func gaussianMatrixHasAMarchenkoPasturBulk() throws {
  var rng = SplittableRandom(seed: 1)
  let w = Tensor<Double>.randomNormal([1000, 500], using: &rng)
  let layer = try LayerSpectrumAnalysis(name: "w", shape: [1000, 500], matrices: [w])
  // Rescaled to mean 1, the eigenvalues follow MP with σ = 1 (WeightWatcher's `sigma_mp`).
  #expect(
    abs((layer.marchenkoPasturSigma ?? 0) - 1) < 0.03, "\(layer.marchenkoPasturSigma ?? .nan)")
  #expect(abs((layer.marchenkoPasturEdge ?? 0) - 2914) < 60)
  #expect(layer.spikes == 0)
  #expect((layer.alpha ?? 0) > 6)
  let reference = try singularValues(of: w).map { $0 * $0 }.sorted()
  for (a, b) in zip(layer.eigenvalues, reference) { #expect(abs(a - b) < 1e-9 * max(1, b)) }
  #expect(isApproximatelyEqual(layer.logSpectralNorm, log10(reference.last!), relative: 1e-12))
  // The same matrix transposed gives the same spectrum.
  let transposed = try LayerSpectrumAnalysis(
    name: "t", shape: [500, 1000], matrices: [w.transposed()])
  #expect(abs(transposed.lambdaMax - layer.lambdaMax) < 1e-9)
}

/// A planted rank-one signal well above the bulk edge is counted as a spike; entries with a
/// Pareto tail of index μ = 1.5 (±U^{−1/μ}) give a heavy-tailed ESD: random-matrix theory puts
/// its tail exponent near μ/2 + 1 = 1.75 (Martin & Mahoney 2021), and the fit reads below 4.
@Test func spikesAndHeavyTails() throws {
  var rng = SplittableRandom(seed: 2)
  var w = Tensor<Double>.randomNormal([400, 200], using: &rng)
  let u = (0..<400).map { _ in rng.nextNormal() / 20 }
  let v = (0..<200).map { _ in rng.nextNormal() / 14.14 }
  w = w + Tensor(shape: [400, 200]) { 20 * u[$0 / 200] * v[$0 % 200] * 20 }
  let spiked = try LayerSpectrumAnalysis(name: "s", shape: [400, 200], matrices: [w])
  #expect(spiked.spikes >= 1)
  let heavy = Tensor<Double>(shape: [400, 200]) { _ in
    let sign: Double = rng.nextUniform() < 0.5 ? -1 : 1
    return sign * pow(1 - rng.nextUniform(), -1 / 1.5)
  }
  let tailed = try LayerSpectrumAnalysis(name: "h", shape: [400, 200], matrices: [heavy])
  #expect((tailed.alpha ?? 100) < 4, "α \(tailed.alpha ?? .nan)")
}

import Autodiff
import Foundation
import Steering
import Tensors
import Testing

/// One case of `Fixtures/spectral_norm_torch.json`, written by
/// `bench/spectral_norm_reference.py` with PyTorch's `parametrizations.spectral_norm` in
/// float64: a weight `W`, starting vectors `u0`, `v0`, `k` power iterations, and what PyTorch
/// computed from them.
struct TorchSpectralNormCase: Decodable {
  var out: Int
  var `in`: Int
  var k: Int
  var W: [[Double]]
  var u0: [Double]
  var v0: [Double]
  var C: [[Double]]
  var x: [Double]
  var u: [Double]
  var v: [Double]
  var sigma: Double
  var W_sn: [[Double]]
  var loss: Double
  var grad_W: [[Double]]
  var W_sn_eval_u0v0: [[Double]]
}

struct TorchSpectralNormFixture: Decodable {
  var torch_version: String
  var cases: [TorchSpectralNormCase]
}

func loadTorchSpectralNormFixture() throws -> TorchSpectralNormFixture {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/spectral_norm_torch.json")
  return try JSONDecoder().decode(TorchSpectralNormFixture.self, from: Data(contentsOf: url))
}

func matrix(_ rows: [[Double]]) -> Tensor<Double> {
  Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0 })
}

/// Largest elementwise |a − b| relative to the largest |b|.
func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
  let scale = max(b.map(abs).max() ?? 0, 1e-300)
  return zip(a, b).map { abs($0 - $1) }.max()! / scale
}

/// For the same weights and starting vectors, ``SpectralNormalization`` computes PyTorch's
/// vectors after `k` iterations, its σ = uᵀWv, its normalised weights, the loss
/// `Σ C⊙W_SN² + Σ W_SN x` and that loss's gradient with respect to the raw weights (σ's
/// dependence on W included), and in evaluation mode PyTorch's W/(u₀ᵀWv₀). Tolerance 1e-12
/// relative: both sides compute in float64 with a few dozen operations per value, so only
/// summation order separates them (≈ 10⁻¹⁵); a semantic difference (iteration order, a
/// detached σ, a missing iteration) moves these values in the first or second digit.
@Test func spectralNormalizationEqualsPyTorch() throws {
  let fixture = try loadTorchSpectralNormFixture()
  #expect(fixture.cases.count == 8)
  for c in fixture.cases {
    let label = "\(c.out)×\(c.in), k = \(c.k)"
    let w = matrix(c.W)
    var normalization = SpectralNormalization(u: c.u0, v: c.v0, powerIterations: c.k)
    let weight = Variable(w, requiresGradient: true)
    let normalized = normalization.training(weight)
    #expect(relativeDifference(normalization.u, c.u) < 1e-12, "u, \(label)")
    #expect(relativeDifference(normalization.v, c.v) < 1e-12, "v, \(label)")
    #expect(abs(normalization.sigma(w) - c.sigma) < 1e-12 * abs(c.sigma), "σ, \(label)")
    #expect(
      relativeDifference(normalized.value.scalars, c.W_sn.flatMap { $0 }) < 1e-12, "W_SN, \(label)")
    let weights = Variable(matrix(c.C))
    let input = Variable(Tensor(shape: [c.in, 1], scalars: c.x))
    let loss = sum(weights * normalized * normalized) + sum(matmul(normalized, input))
    #expect(abs(loss.value.scalar - c.loss) < 1e-12 * max(1, abs(c.loss)), "loss, \(label)")
    loss.backward()
    let gradient = try #require(weight.grad)
    #expect(
      relativeDifference(gradient.scalars, c.grad_W.flatMap { $0 }) < 1e-12, "∂L/∂W, \(label)")
    let evaluation = SpectralNormalization(u: c.u0, v: c.v0).evaluation(w)
    #expect(
      relativeDifference(evaluation.scalars, c.W_sn_eval_u0v0.flatMap { $0 }) < 1e-12,
      "evaluation, \(label)")
  }
}

import Foundation
import Spectral
import Statistics
import Tensors
import Testing

/// WeightWatcher 0.7.7's numbers for eight small matrices (Gaussian tall, square and wide;
/// Student-t ν = 2, 3; rank 3 plus noise; fewer than 20 eigenvalues; 90 % sparse), written by
/// `bench/weightwatcher_reference.py` into `Fixtures/weightwatcher.json`.
struct WeightWatcherFixture: Decodable {
  struct Case: Decodable {
    var name: String
    var rows: Int
    var columns: Int
    var W: [Double]
    var weightwatcher: [String: Double]
  }
  var weightwatcher_version: String
  var cases: [Case]
}

/// ``LayerSpectrumAnalysis`` gives WeightWatcher's values on every matrix of the fixture:
/// α, σ, D, α̂ and the norms within 10⁻⁹ relative (two SVD implementations agree to about
/// 10⁻¹³ on these eigenvalues, and the fits are smooth in them), x_min the same eigenvalue,
/// and every count — the tail, the Marchenko–Pastur spikes, the detX count — equal. The
/// MP σ is the end point of SciPy's simplex, reproduced step for step: equal to 10⁻⁹.
@Test func layerAnalysisEqualsWeightWatcher() throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/weightwatcher.json")
  let fixture = try JSONDecoder().decode(WeightWatcherFixture.self, from: Data(contentsOf: url))
  #expect(fixture.weightwatcher_version == "0.7.7")
  #expect(fixture.cases.count == 8)
  for c in fixture.cases {
    let w = Tensor(shape: [c.rows, c.columns], scalars: c.W)
    let layer = try LayerSpectrumAnalysis(name: c.name, shape: [c.rows, c.columns], matrices: [w])
    let reference = c.weightwatcher
    func close(_ value: Double?, _ key: String, _ tolerance: Double = 1e-9) {
      let expected = reference[key]!
      #expect(
        value.map { abs($0 - expected) <= tolerance * max(1, abs(expected)) } == true,
        "\(c.name) \(key): \(value ?? .nan) vs WeightWatcher \(expected)")
    }
    close(layer.alpha, "alpha")
    close(layer.xMin, "xmin", 1e-12)
    close(layer.ksDistance, "D")
    close(layer.alphaStandardError, "sigma")
    close(layer.marchenkoPasturSigma, "sigma_mp")
    close(layer.mpSoftRank, "mp_softrank")
    close(layer.marchenkoPasturEdge, "bulk_max")
    close(layer.logFrobeniusNorm, "log_norm")
    close(layer.logSpectralNorm, "log_spectral_norm")
    close(layer.alphaWeighted, "alpha_weighted")
    close(layer.logAlphaNorm, "log_alpha_norm")
    close(layer.stableRank, "stable_rank")
    close(layer.detXValue, "detX_val")
    close(layer.lambdaMax, "lambda_max")
    #expect(layer.tailCount == Int(reference["num_pl_spikes"]!), "\(c.name) tail")
    #expect(layer.spikes == Int(reference["num_spikes"]!), "\(c.name) spikes")
    #expect(layer.detXCount == Int(reference["detX_num"]!), "\(c.name) detX")
  }
}

/// `fit: .clauset` is the Clauset–Shalizi–Newman fit (``PowerLawFit``, checked against the
/// `powerlaw` package in the statistics tests) of the same eigenvalues above 10⁻⁵, with the
/// rest of the analysis unchanged.
@Test func clausetFitIsTheOption() throws {
  var rng = SplittableRandom(seed: 11)
  let w = Tensor<Double>(shape: [256, 128]) { _ in
    let chi = (0..<3).map { _ in rng.nextNormal() }.reduce(0) { $0 + $1 * $1 } / 3
    return rng.nextNormal() / chi.squareRoot()
  }
  let ww = try LayerSpectrumAnalysis(name: "w", shape: [256, 128], matrices: [w])
  let csn = try LayerSpectrumAnalysis(
    name: "w", shape: [256, 128], matrices: [w], fit: .clauset)
  #expect(ww.fitMethod == .weightwatcher && csn.fitMethod == .clauset)
  #expect(ww.eigenvalues == csn.eigenvalues && ww.spikes == csn.spikes)
  let reference = try #require(PowerLawFit(csn.eigenvalues.filter { $0 > 1e-5 }))
  #expect(csn.alpha == reference.alpha && csn.xMin == reference.xMin)
  #expect(csn.ksDistance == reference.ksDistance)
}

/// detX on a spectrum whose running products under- and overflow: 1500 eigenvalues of 100 and
/// 1500 of 10⁻⁴ (30 pooled 100 × 100 diagonal matrices). The exact product of the top
/// rescaled eigenvalues falls below 1 at 1580 of them, but WeightWatcher 0.7.7
/// (`rescale_eigenvalues` then `detX_constraint(evals, rescale=False)` on these eigenvalues,
/// run once to fix the figures here) multiplies `np.prod(evals[idx:])` from the smallest, which
/// underflows to 0 first: 1557, at the eigenvalue 10⁻⁴. A product kept from the top would
/// overflow to infinity and report all 3000.
@Test func detXFollowsTheReferenceProductWhereItUnderflows() throws {
  let diagonal = { (value: Double) in
    Tensor<Double>(shape: [100, 100]) { k in k / 100 == k % 100 ? value : 0 }
  }
  let matrices =
    Array(repeating: diagonal(10), count: 15) + Array(repeating: diagonal(0.01), count: 15)
  let layer = try LayerSpectrumAnalysis(name: "d", shape: [100, 100], matrices: matrices)
  #expect(layer.eigenvalues.count == 3000)
  #expect(layer.detXCount == 1557)
  #expect(abs(layer.detXValue - 1e-4) <= 1e-16)
}

import Autodiff
import CritTestSupport
import Foundation
import NN
import Steering
import Tensors
import Testing

/// Spectral control of attention against independent answers: σReparam's matrices have top
/// singular value γ (LAPACK's SVD), the query–key penalty equals λ Σ σ_max² of the forms
/// built by hand, and both are differentiated correctly (central finite differences in
/// double precision, relative error below 1e-6 as every gradient check here). The power
/// iterations run to a residual of 1e-12 so that σ is exact to rounding at every perturbed
/// point (at the training tolerance 1e-4 its error, ~1e-8·σ, would swamp a finite difference
/// with h = 1e-6).
@Suite struct AttentionSpectralControlTests {
  func model() -> TransformerModel<Double> {
    TransformerModel<Double>(
      input: .vectors(dimension: 3), length: 3, width: 4, heads: 2, depth: 1, outputs: 1,
      causal: false, seed: 5)
  }

  let inputs = randomTensor([6, 3], seed: 6)

  @Test func sigmaReparamMatricesHaveTopSingularValueGamma() throws {
    let m = model()
    let controller = AttentionSpectralController(
      .sigmaReparam, model: m, tolerance: 1e-12, iterationsPerCall: 100_000)
    #expect(controller.parameters.count == 6)  // W_Q, W_K, W_V, W_O and the MLP's two
    for (k, (_, gain)) in controller.parameters.enumerated() {
      gain.value = Tensor(0.5 + 0.25 * Double(k))
    }
    for (name, weight) in controller.effectiveWeights() {
      let gain = controller.gains[name]!.value.scalar
      let top = try singularValues(of: weight).max()!
      // σ(γW/σ(W)) = γ; power iteration converged to 1e-12 leaves rounding only.
      #expect(abs(top - gain) <= 1e-10 * gain, "\(name): \(top) vs γ = \(gain)")
    }
  }

  @Test func sigmaReparamGradients() {
    let m = model()
    let controller = AttentionSpectralController(
      .sigmaReparam, model: m, tolerance: 1e-12, iterationsPerCall: 100_000)
    for (k, (_, gain)) in controller.parameters.enumerated() {
      gain.value = Tensor(0.8 + 0.1 * Double(k))
    }
    let result = checkGradients(of: (m.parameters + controller.parameters).map(\.variable)) {
      weightedSum(m(vectors: inputs, view: { controller.view($0, $1) }).outputs)
    }
    #expect(result.relativeError < 1e-6, "\(result)")
  }

  @Test func queryKeyPenaltyIsTheSquaredTopSingularValues() throws {
    let m = model()
    let controller = AttentionSpectralController(
      .queryKeyPenalty(strength: 0.3), model: m, tolerance: 1e-12, iterationsPerCall: 100_000)
    let penalty = try #require(controller.penalty()).value.scalar
    let attention = m.blocks[0].attention
    var expected = 0.0
    for h in 0..<2 {
      let rows = (2 * h)..<(2 * h + 2)
      let q = attention.query.weight.value.slice(alongAxis: 0, rows)
      let k = attention.key.weight.value.slice(alongAxis: 0, rows)
      // M = W_Q,hᵀ W_K,h element by element.
      let form = Tensor<Double>(shape: [4, 4]) { index in
        let (i, j) = (index / 4, index % 4)
        return (0..<2).reduce(0.0) { $0 + q[$1, i] * k[$1, j] }
      }
      let top = try singularValues(of: form).max()!
      expected += top * top
    }
    #expect(abs(penalty - 0.3 * expected) <= 1e-10 * expected)
    let result = checkGradients(of: m.parameters.map(\.variable)) {
      controller.penalty()!
    }
    #expect(result.relativeError < 1e-6, "\(result)")
  }

  @Test func noControlLeavesWeightsAndAddsNoPenalty() {
    let m = model()
    let controller = AttentionSpectralController(.none, model: m)
    #expect(controller.penalty() == nil)
    #expect(controller.parameters.isEmpty)
    for ((_, weight), (_, variable)) in zip(controller.effectiveWeights(), m.blockWeightMatrices) {
      #expect(weight == variable.value)
    }
  }

  @Test func controlsRoundTripThroughJSON() throws {
    for control in [
      AttentionSpectralControl.none, .queryKeyPenalty(strength: 0.01), .sigmaReparam,
    ] {
      let data = try JSONEncoder().encode(control)
      #expect(try JSONDecoder().decode(AttentionSpectralControl.self, from: data) == control)
    }
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(
        AttentionSpectralControl.self, from: Data(#"{"spectralNorm": {}}"#.utf8))
    }
  }
}

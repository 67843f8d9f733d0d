import Autodiff
import NN
import Spectral
import Steering
import Tensors

extension TransformerTaskRun {
  /// The end-of-training measures: per-head measures and each block matrix's spectrum from the
  /// weights a pass uses (Ŵ under σReparam), the Jacobian's singular values, and the attention
  /// maps of held-out sequence 0. A diverged run keeps its snapshots and measures nothing that
  /// needs finite weights.
  func finish(
    _ model: TransformerModel<Float>, controller: AttentionSpectralController<Float>,
    test: HeldOutSequences, snapshots: [Snapshot], diverged: Bool, initialJacobian: [Double],
    seconds: Double
  ) throws -> Result {
    var result = Result(
      snapshots: snapshots, diverged: diverged, heads: [], weights: [],
      initialJacobian: initialJacobian, finalJacobian: [], maps: [], seconds: seconds)
    let effective = controller.effectiveWeights()
    guard !diverged, effective.allSatisfy({ $0.weight.isFinite }) else {
      result.diverged = true
      return result
    }
    let weights = Dictionary(uniqueKeysWithValues: effective.map { ($0.name, $0.weight) })
    let maps = loss(model, test, view: { controller.view($0, $1) }).maps
    result.heads = try (0..<depth).map { l in
      let prefix = "blocks.\(l).attention."
      return try AttentionHeadMeasures.measure(
        query: weights[prefix + "query.weight"]!, key: weights[prefix + "key.weight"]!,
        value: weights[prefix + "value.weight"]!, output: weights[prefix + "output.weight"]!,
        heads: heads, maps: maps[l])
    }
    result.weights = try effective.map { name, weight in
      let analysis = try LayerSpectrumAnalysis(
        name: name, shape: weight.shape, matrices: [Tensor<Double>(weight)])
      return WeightSpectrum(
        name: name, sigmaMax: analysis.lambdaMax.squareRoot(), stableRank: analysis.stableRank,
        alpha: analysis.alpha)
    }
    result.finalJacobian = try TransformerJacobian.singularValues(
      model, at: firstInput(model, test), view: { controller.view($0, $1) })
    let cells = length * length
    result.maps = maps.map { layer in
      layer.map { map in (0..<cells).map { Double(map[flat: $0]) } }
    }
    return result
  }
}

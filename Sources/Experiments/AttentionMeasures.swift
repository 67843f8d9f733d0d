import Foundation
import NN
import Tensors

/// Per-head measures of a transformer block (SPEC §7 protocol 7): for head h with rows
/// h·d_h ..< (h+1)·d_h of W_Q, W_K, W_V and the same columns of W_O,
///
/// - the query–key form `M_QK = W_{Q,h}ᵀ W_{K,h}` (D × D; score(x_i, x_j) = x_iᵀ M_QK x_j) and
///   the value–output map `M_VO = W_{O,h} W_{V,h}` (D × D): each one's σ_max and stable rank
///   ‖M‖_F²/σ_max² (Rudelson & Vershynin 2007; between 1 and rank M);
/// - the attention entropy, the mean over sequences and queries of −Σ_j p_ij log p_ij (0 for
///   one-hot attention, log L for uniform attention over L keys; with a causal mask query i
///   sees i + 1 keys). Collapse of this entropy goes with unstable training (Zhai et al. 2023).
public struct AttentionHeadMeasures: Codable, Sendable, Equatable {
  public var head: Int
  public var queryKeySigmaMax: Double
  public var queryKeyStableRank: Double
  public var valueOutputSigmaMax: Double
  public var valueOutputStableRank: Double
  public var entropy: Double

  /// σ_max and the stable rank of `m`.
  public static func spectralSummary(_ m: Tensor<Double>) throws -> (
    sigmaMax: Double, stableRank: Double
  ) {
    let singular = try singularValues(of: m)
    let top = singular.max() ?? 0
    guard top > 0 else { return (0, 0) }
    return (top, singular.reduce(0) { $0 + $1 * $1 } / (top * top))
  }

  /// The mean entropy of the rows of attention maps (batch, L, L).
  public static func entropy<S: TensorScalar>(_ map: Tensor<S>) -> Double {
    let n = map.shape[map.rank - 1]
    let rows = map.count / n
    var total = 0.0
    for r in 0..<rows {
      for c in 0..<n {
        let p = Double(map[flat: r * n + c])
        if p.isNaN { return .nan }  // maps of a non-finite model: no entropy, not zero
        if p > 0 { total -= p * log(p) }
      }
    }
    return total / Double(rows)
  }

  /// The measures of every head of `attention`, with its maps from a forward pass.
  public static func measure<S: TensorScalar>(
    _ attention: MultiHeadSelfAttention<S>, maps: [Tensor<S>]
  ) throws -> [AttentionHeadMeasures] {
    try measure(
      query: attention.query.weight.value, key: attention.key.weight.value,
      value: attention.value.weight.value, output: attention.output.weight.value,
      heads: attention.heads, maps: maps)
  }

  /// The measures of every head of the attention with these weights (each D × D; the ones a
  /// forward pass uses, e.g. after a reparametrisation), with its maps from a forward pass.
  public static func measure<S: TensorScalar>(
    query: Tensor<S>, key: Tensor<S>, value: Tensor<S>, output: Tensor<S>, heads: Int,
    maps: [Tensor<S>]
  ) throws -> [AttentionHeadMeasures] {
    let (q, k, v, o) = (
      Tensor<Double>(query), Tensor<Double>(key), Tensor<Double>(value), Tensor<Double>(output)
    )
    let dh = q.rows / heads
    return try (0..<heads).map { h in
      let rows = (h * dh)..<((h + 1) * dh)
      let queryKey = matmul(
        q.slice(alongAxis: 0, rows), k.slice(alongAxis: 0, rows), transposeA: true)
      let valueOutput = matmul(o.slice(alongAxis: 1, rows), v.slice(alongAxis: 0, rows))
      let qk = try spectralSummary(queryKey)
      let vo = try spectralSummary(valueOutput)
      return AttentionHeadMeasures(
        head: h, queryKeySigmaMax: qk.sigmaMax, queryKeyStableRank: qk.stableRank,
        valueOutputSigmaMax: vo.sigmaMax, valueOutputStableRank: vo.stableRank,
        entropy: h < maps.count ? entropy(maps[h]) : .nan)
    }
  }
}

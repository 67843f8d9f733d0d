import Tensors

/// Neural collapse NC1 (Papyan, Han & Donoho 2020, *PNAS* 117:24652): the within-class
/// variability of features relative to the between-class variability,
/// `NC1 = (1/C) tr(Σ_W Σ_B⁺)`, with `Σ_W = (1/n) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ`,
/// `Σ_B = (1/C) Σ_c (μ_c − μ_G)(μ_c − μ_G)ᵀ` and `⁺` the Moore–Penrose pseudo-inverse (by
/// eigendecomposition, eigenvalues below 10⁻¹² of the largest treated as zero). It falls toward
/// 0 as the last hidden layer's features collapse onto their class means.
///
/// - Parameters:
///   - features: `(n, d)` features (usually the last hidden layer's activations).
///   - labels: class of each row, in `0..<classes`.
public func neuralCollapseNC1(features: Tensor<Double>, labels: [Int], classes: Int) throws
  -> Double?
{
  let (n, d) = (features.rows, features.columns)
  guard n == labels.count, classes >= 2, n > 0 else { return nil }
  let x = features.scalars
  var means = [[Double]](repeating: [Double](repeating: 0, count: d), count: classes)
  var counts = [Int](repeating: 0, count: classes)
  for i in 0..<n {
    let c = labels[i]
    guard c >= 0 && c < classes else { return nil }
    counts[c] += 1
    for j in 0..<d { means[c][j] += x[i * d + j] }
  }
  let present = (0..<classes).filter { counts[$0] > 0 }
  guard present.count >= 2 else { return nil }
  for c in present { for j in 0..<d { means[c][j] /= Double(counts[c]) } }
  var global = [Double](repeating: 0, count: d)
  for c in present { for j in 0..<d { global[j] += means[c][j] / Double(present.count) } }
  var within = Tensor<Double>.zeros([d, d])
  var between = Tensor<Double>.zeros([d, d])
  within.withUnsafeMutableBufferPointer { w in
    for i in 0..<n {
      let c = labels[i]
      for a in 0..<d {
        let da = x[i * d + a] - means[c][a]
        for b in 0..<d { w[a * d + b] += da * (x[i * d + b] - means[c][b]) / Double(n) }
      }
    }
  }
  between.withUnsafeMutableBufferPointer { s in
    for c in present {
      for a in 0..<d {
        let da = means[c][a] - global[a]
        for b in 0..<d { s[a * d + b] += da * (means[c][b] - global[b]) / Double(present.count) }
      }
    }
  }
  // Σ_B⁺ = Q diag(1/λ for λ > cut) Qᵀ; tr(Σ_W Σ_B⁺) = Σ_k (q_kᵀ Σ_W q_k)/λ_k.
  let decomposition = try symmetricEigendecomposition(between)
  let largest = decomposition.eigenvalues.max() ?? 0
  guard largest > 0 else { return nil }
  var trace = 0.0
  for (k, lambda) in decomposition.eigenvalues.enumerated() where lambda > 1e-12 * largest {
    let q = (0..<d).map { decomposition.eigenvectors[$0, k] }
    let wq = (0..<d).map { a in (0..<d).reduce(0.0) { $0 + within[a, $1] * q[$1] } }
    trace += zip(q, wq).reduce(0) { $0 + $1.0 * $1.1 } / lambda
  }
  return trace / Double(present.count)
}

import CritTestSupport
import Indicators
import Tensors
import Testing

/// Two classes with means (∓1, 0) and within-class deviations ±s₁ along the first axis and ±s₂
/// along the second: Σ_B = diag(1, 0) (rank one), Σ_W = diag(s₁², s₂²), so
/// NC1 = ½·tr(Σ_W Σ_B⁺) = s₁²/2 — the second axis, outside Σ_B's range, does not count.
@Test func neuralCollapseOfKnownFeatures() throws {
  let (s1, s2) = (0.3, 0.7)
  var rows: [Double] = []
  var labels: [Int] = []
  for (c, mean) in [(0, -1.0), (1, 1.0)] {
    for (d1, d2) in [(s1, s2), (-s1, -s2), (s1, -s2), (-s1, s2)] {
      rows += [mean + d1, d2]
      labels.append(c)
    }
  }
  let features = Tensor<Double>(shape: [8, 2], scalars: rows)
  let nc1 = try #require(try neuralCollapseNC1(features: features, labels: labels, classes: 2))
  #expect(isApproximatelyEqual(nc1, s1 * s1 / 2, relative: 1e-12))
  // Fully collapsed features: NC1 = 0.
  let collapsed = Tensor<Double>(shape: [4, 2], scalars: [-1, 0, -1, 0, 1, 0, 1, 0])
  #expect(try neuralCollapseNC1(features: collapsed, labels: [0, 0, 1, 1], classes: 2) == 0)
  // One class only: undefined.
  #expect(try neuralCollapseNC1(features: collapsed, labels: [0, 0, 0, 0], classes: 2) == nil)
}

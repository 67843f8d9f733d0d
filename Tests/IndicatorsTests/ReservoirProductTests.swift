import CTrainability
import Testing

/// The reservoir step product against the sum written out, and its AVX-512 form against the
/// four-lane form bit for bit (both compute each output as the same in-order chain of fused
/// multiply–adds starting from zero, so any difference is a wrong lane, column or row).
/// Shapes: n = 37 leaves a partial last panel (5 columns) after two full panel pairs, n = 8 and
/// 16 are exact panel widths, n = 9 a lone panel pair with one extra column; 1, 4, 11 and 16
/// rows reach the eight-, four- and one-row blocks of both forms.
@Test(arguments: [1, 8, 9, 16, 37], [1, 4, 11, 16])
func reservoirProductFormsAgreeBitForBit(n: Int, rows: Int) {
  var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(n * 100 + rows)
  func draw() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53) * 2 - 1
  }
  let wt = (0..<(n * n)).map { _ in draw() }
  let x = (0..<(rows * n)).map { _ in draw() }
  var packed = [Double](repeating: .nan, count: (n + 7) / 8 * 8 * n)
  crit_reservoir_pack(wt, &packed, n)
  var dispatched = [Double](repeating: .nan, count: rows * n)
  var fourLanes = [Double](repeating: .nan, count: rows * n)
  crit_reservoir_product(x, packed, &dispatched, rows, n)
  crit_reservoir_product_lanes4(x, packed, &fourLanes, rows, n)
  #expect(dispatched.map(\.bitPattern) == fourLanes.map(\.bitPattern))
  for r in 0..<rows {
    for j in 0..<n {
      var sum = 0.0
      for i in 0..<n { sum += x[r * n + i] * wt[i * n + j] }
      // The written-out sum rounds each product (no fused multiply–add): n ≤ 37 terms of size
      // ≤ 1 differ by at most n·2⁻⁵³ ≈ 4·10⁻¹⁵; a wrong term is O(0.1).
      #expect(abs(sum - dispatched[r * n + j]) < 1e-13, "row \(r), column \(j)")
    }
  }
}

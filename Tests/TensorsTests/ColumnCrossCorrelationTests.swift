import Tensors
import Testing

/// The FFT cross-correlations equal the direct sums Σ_t x[t, i]·v[t + m], for an odd number of
/// columns (one column without a partner in the packed transform), a row stride wider than the
/// columns, and lengths on both sides of a power of two (n + lags − 1 = 32 and 33).
///
/// Tolerance: the transform's rounding error is about ε·log₂L·‖x_i‖·‖v‖ (≈ 10⁻¹⁵ relative here);
/// 10⁻¹² of that scale leaves three orders of margin and is far below any real mistake (a
/// wrong lag or a lost partner column is O(1)).
@Test(arguments: [(n: 22, lags: 11), (n: 23, lags: 11), (n: 1, lags: 1), (n: 300, lags: 40)])
func crossCorrelationsEqualDirectSums(n: Int, lags: Int) {
  let (columns, stride) = (7, 9)
  var rng = SplittableRandom(seed: UInt64(n * 1000 + lags))
  let x = (0..<(n * stride)).map { _ in rng.nextNormal() }
  let v = (0..<(n + lags - 1)).map { _ in 2 * rng.nextUniform() - 1 }
  let r = x.withUnsafeBufferPointer { x in
    v.withUnsafeBufferPointer { v in
      ColumnCrossCorrelation.compute(
        x: x, rows: n, columns: columns, rowStride: stride, v: v, lags: lags)
    }
  }
  #expect(r.count == columns * lags)
  let vNorm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
  for i in 0..<columns {
    let xNorm = (0..<n).map { x[$0 * stride + i] * x[$0 * stride + i] }.reduce(0, +).squareRoot()
    for m in 0..<lags {
      let direct = (0..<n).map { x[$0 * stride + i] * v[$0 + m] }.reduce(0, +)
      #expect(
        abs(r[i * lags + m] - direct) <= 1e-12 * xNorm * vNorm,
        "column \(i), lag \(m): \(r[i * lags + m]) vs \(direct)")
    }
  }
}

/// `gramMatrix` is XᵀX + βI with both triangles filled: against the general product.
/// Tolerance: the same sums in a different order, 10⁻¹² relative to the entries' scale.
@Test func gramMatrixEqualsGeneralProduct() {
  var rng = SplittableRandom(seed: 3)
  let x = Tensor<Double>.randomUniform([40, 6], low: -1, high: 1, using: &rng)
  let g = gramMatrix(x, ridge: 0.25)
  let reference = matmul(x, x, transposeA: true)
  for i in 0..<6 {
    for j in 0..<6 {
      let expected = reference[i, j] + (i == j ? 0.25 : 0)
      #expect(abs(g[i, j] - expected) < 1e-12 * 40, "(\(i), \(j))")
    }
  }
}

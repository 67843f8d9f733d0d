import Tensors

/// `MC_k` for k = 0…K from covariances alone, without forming the delayed inputs or the
/// readout's predictions (the ridge solver by normal equations).
///
/// Training rows T, states centred on their mean, `X`: the readout of delay k is
/// `w_k = (XᵀX + βI)⁻¹ c_k` with `c_k[i] = Σ_{t∈T} X[t,i] u(t−k)` (centring u is unnecessary:
/// the columns of X sum to zero). Those cross-products are the cross-correlations of every
/// state column with the input series (``ColumnCrossCorrelation``, by FFT). Test rows S,
/// states centred on the test mean, `Y`: the prediction `ŷ_k = Y w_k` (plus a constant) has
/// `n·cov(ŷ_k, u_{·−k}) = w_kᵀ d_k` with `d_k = Yᵀ u_{·−k}` (again a cross-correlation) and
/// `n·var ŷ_k = w_kᵀ (YᵀY) w_k`, so
///
///     MC_k = (w_kᵀ d_k)² / (w_kᵀ YᵀY w_k · Σ_{t∈S} (u(t−k) − ū_k)²),
///
/// exactly the squared correlation of the predictions with the delayed input. The work is two
/// Gram matrices, one Cholesky solve and one symmetric product `YᵀY·W` instead of the
/// `T × N × (K+1)` and `S × N × (K+1)` products with the delayed inputs and the predictions.
func memoryCapacityFromCovariances(
  states: Tensor<Double>, input u: [Double], maxDelay: Int, protocol p: ReadoutProtocol
) throws -> [Double] {
  let delays = maxDelay + 1
  let units = states.columns
  let train = centeredColumns(states, rows: p.trainRows).centered
  let weights = try solvePositiveDefinite(
    gramMatrix(train, ridge: p.ridge),
    delayedCrossProducts(train, u, firstRow: p.trainRows.lowerBound, maxDelay: maxDelay))
  let test = centeredColumns(states, rows: p.testRows).centered
  let d = delayedCrossProducts(test, u, firstRow: p.testRows.lowerBound, maxDelay: maxDelay)
  let projected = matmul(gramMatrix(test), weights)
  // Row sums of W∘D and W∘(ΣW): w_kᵀd_k and w_kᵀΣw_k for every k at once.
  var numerators = [Double](repeating: 0, count: delays)
  var predictedVariances = [Double](repeating: 0, count: delays)
  weights.withUnsafeBufferPointer { w in
    d.withUnsafeBufferPointer { d in
      projected.withUnsafeBufferPointer { q in
        for i in 0..<units {
          for k in 0..<delays {
            numerators[k] += w[i * delays + k] * d[i * delays + k]
            predictedVariances[k] += w[i * delays + k] * q[i * delays + k]
          }
        }
      }
    }
  }
  let n = p.test
  return (0..<delays).map { k in
    let window = u[(p.testRows.lowerBound - k)..<(p.testRows.lowerBound - k + n)]
    let mean = window.reduce(0, +) / Double(n)
    let inputVariance = window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    guard predictedVariances[k] > 0 && inputVariance > 0 else { return 0 }
    return numerators[k] * numerators[k] / (predictedVariances[k] * inputVariance)
  }
}

/// `C[i, k] = Σ_{r} x[r, i] · u(firstRow + r − k)` for k = 0…K, `(units, K+1)`: the product
/// of `xᵀ` with the delayed copies of u, as cross-correlations with the series
/// `v(s) = u(firstRow − K + s)` (lag `K − k`).
func delayedCrossProducts(_ x: Tensor<Double>, _ u: [Double], firstRow: Int, maxDelay: Int)
  -> Tensor<Double>
{
  precondition(firstRow >= maxDelay, "delays reach before the series")
  let (rows, units, delays) = (x.rows, x.columns, maxDelay + 1)
  // Lags in reverse order: the lag K − k lands in column k.
  let values = x.withUnsafeBufferPointer { x in
    u.withUnsafeBufferPointer { u in
      ColumnCrossCorrelation.compute(
        x: x, rows: rows, columns: units, rowStride: units,
        v: UnsafeBufferPointer(rebasing: u[(firstRow - maxDelay)..<(firstRow + rows)]),
        lags: delays, reversingLags: true)
    }
  }
  return Tensor(shape: [units, delays], scalars: values)
}

/// Holm's step-down correction (Holm 1979, *Scand. J. Statist.* 6:65–70) of `m` p-values:
/// sort them ascending, `p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j))`, and return the
/// adjusted values in the input order. A hypothesis is rejected at family-wise level α when its
/// adjusted p-value is below α. Matches `statsmodels.stats.multitest.multipletests(p,
/// method="holm")`. NaN p-values (tests that could not be run) stay NaN and do not count in `m`.
public func holmAdjusted(_ pValues: [Double]) -> [Double] {
  let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted {
    pValues[$0] < pValues[$1] || (pValues[$0] == pValues[$1] && $0 < $1)
  }
  let m = order.count
  var adjusted = [Double](repeating: .nan, count: pValues.count)
  var running = 0.0
  for (rank, index) in order.enumerated() {
    running = max(running, min(1, Double(m - rank) * pValues[index]))
    adjusted[index] = running
  }
  return adjusted
}

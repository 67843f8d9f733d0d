import Sweeps
import Testing

/// The five-network spectral-control table of docs/results/trainability.md, recomputed by the
/// tool from its per-seed medians: paired t-tests against `none` with SciPy 1.17.1's
/// `ttest_rel` p-values 0.006050687284129187 and 0.36995145729997675, Holm-adjusted by
/// statsmodels 0.15.0 to 0.012101374568258374 and 0.36995145729997675 (1e-9 relative: the t
/// tail's continued fraction is good to about 1e-12).
@Test func trainabilityComparisonReproducesThePublishedTable() throws {
  func record(_ medians: [Double]) -> SeedsRecord {
    SeedsRecord(
      seeds: medians.enumerated().map { SeedsRecord.Seed(seed: UInt64($0), medianDimension: $1) })
  }
  let comparison = TrainabilityComparison(conditions: [
    ("none", record([1.601, 1.571, 1.676, 1.328, 1.409])),
    ("penalty-0.1-1.0", record([1.253, 1.131, 1.216, 0.909, 1.311])),
    ("norm-4.0", record([1.387, 1.224, 1.718, 1.493, 1.306])),
  ])
  let table = comparison.table
  let expected: [(p: Double, holm: Double)] = [
    (0.006050687284129187, 0.012101374568258374), (0.36995145729997675, 0.36995145729997675),
  ]
  for (g, reference) in zip(1...2, expected) {
    let cell = table.cells[g][0]
    let test = try #require(cell.comparison)
    #expect(test.test == .paired)
    #expect(abs(test.pValue - reference.p) <= 1e-9 * reference.p)
    #expect(abs(cell.adjustedP - reference.holm) <= 1e-9 * reference.holm)
  }
  // The published means: 1.517 ± 0.179 for none, 1.164 ± 0.195 with the penalty. They were
  // computed from the unrounded medians; the table quotes them to three decimals, which moves
  // the interval by up to about 1e-3.
  #expect(abs(table.cells[0][0].interval.mean - 1.517) < 1e-3)
  #expect(abs(table.cells[0][0].interval.halfWidth - 0.179) < 1e-3)
  #expect(abs(table.cells[1][0].interval.mean - 1.164) < 1e-3)
  #expect(abs(table.cells[1][0].interval.halfWidth - 0.195) < 1e-3)
}

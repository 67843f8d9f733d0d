import Foundation
import Report
import Statistics
import Testing

/// The fixture of bench/comparison_reference.py: groups none (baseline), a, b, c in blocks t1
/// (higher is better) and t2 (lower is better), with diverged runs (a/t1 seed 3 with a finite
/// value that must not count, b/t2 seed 2), missing values (none/t2 seed 2, b/t2 seed 1, a NaN
/// in a/t2 seed 4) and a group whose seeds have no baseline partner (c: Welch).
let comparisonFixture: [String: [[SeededValue]]] = [
  "none": [
    [(0, 80.1), (1, 82.4), (2, 79.0), (3, 81.7), (4, 80.9)].map {
      SeededValue(seed: $0, value: $1)
    },
    [
      SeededValue(seed: 0, value: 0.61), SeededValue(seed: 1, value: 0.58),
      SeededValue(seed: 2, value: nil), SeededValue(seed: 3, value: 0.66),
      SeededValue(seed: 4, value: 0.63),
    ],
  ],
  "a": [
    [
      SeededValue(seed: 0, value: 83.0), SeededValue(seed: 1, value: 84.9),
      SeededValue(seed: 2, value: 81.2), SeededValue(seed: 3, value: 12.0, diverged: true),
      SeededValue(seed: 4, value: 83.5),
    ],
    [
      SeededValue(seed: 0, value: 0.55), SeededValue(seed: 1, value: 0.57),
      SeededValue(seed: 2, value: 0.52), SeededValue(seed: 3, value: 0.60),
      SeededValue(seed: 4, value: .nan),
    ],
  ],
  "b": [
    [(0, 79.5), (1, 82.0), (2, 79.9), (3, 80.2), (4, 81.1)].map {
      SeededValue(seed: $0, value: $1)
    },
    [
      SeededValue(seed: 0, value: 0.70), SeededValue(seed: 1, value: nil),
      SeededValue(seed: 2, value: 0.64, diverged: true), SeededValue(seed: 3, value: 0.69),
      SeededValue(seed: 4, value: 0.71),
    ],
  ],
  "c": [
    [(10, 85.2), (11, 86.0), (12, 84.1), (13, 85.5)].map { SeededValue(seed: $0, value: $1) },
    [(10, 0.50), (11, 0.47), (12, 0.52)].map { SeededValue(seed: $0, value: $1) },
  ],
]

func fixtureTable() -> ComparisonTable {
  ComparisonTable(
    groups: ["none", "a", "b", "c"],
    blocks: [
      ComparisonTable.Block("t1", format: "%.2f", higherIsBetter: true),
      ComparisonTable.Block("t2", format: "%.3f", higherIsBetter: false),
    ],
    baseline: "none"
  ) { group, block in comparisonFixture[group]![block] }
}

/// Every comparison of the table equals SciPy 1.17.1 and statsmodels 0.15.0
/// (`bench/comparison_reference.py`): `ttest_rel` over complete pairs, `ttest_ind(equal_var=
/// False)`, `multipletests(method="holm")` over the six tests in group-major order, and Hedges'
/// g with the exact correction through `scipy.special.gammaln`. Tolerance 1e-9 relative: the
/// Student-t tail comes from a continued fraction accurate to about 1e-12, and the rest is a
/// few dozen floating-point operations.
@Test func comparisonTableEqualsSciPyAndStatsmodels() {
  let table = fixtureTable()
  // group, block, test, difference, p, Holm p, g (exact J), g from statsmodels' effectsize_smd.
  let expected: [(Int, Int, BaselineComparison.Test, Double, Double, Double, Double, Double)] = [
    (
      1, 0, .paired, 2.5500000000000007, 0.0003953682062580484, 0.00237220923754829,
      1.4572381849775449, 1.4583636463036647
    ),
    (
      1, 1, .paired, -0.043333333333333335, 0.12154140808066827, 0.24308281616133653,
      -1.5481234452893018, -1.549796154224358
    ),
    (
      2, 0, .paired, -0.28000000000000114, 0.5242115490156206, 0.5242115490156206,
      -0.2140010843047463, -0.21412494530784876
    ),
    (
      2, 1, .paired, 0.06666666666666661, 0.06951578960152938, 0.20854736880458813,
      2.506628274630993, 2.510672816841862
    ),
    (
      3, 0, .welch, 4.379999999999981, 0.0006088022148930408, 0.003044011074465204,
      3.4218346925746608, 3.42447746068942
    ),
    (
      3, 1, .welch, -0.12333333333333335, 0.0026415037584674624, 0.01056601503386985,
      -3.3941284685433057, -3.3996050268344047
    ),
  ]
  func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
  }
  for (g, b, test, difference, p, holm, hedges, statsmodelsG) in expected {
    let cell = table.cells[g][b]
    let c = cell.comparison!
    #expect(c.test == test, "\(table.groups[g]) \(b)")
    #expect(close(c.difference, difference), "\(table.groups[g]) \(b)")
    #expect(close(c.pValue, p), "\(table.groups[g]) \(b): \(c.pValue) vs \(p)")
    #expect(close(cell.adjustedP, holm), "\(table.groups[g]) \(b): \(cell.adjustedP) vs \(holm)")
    #expect(close(c.hedgesG, hedges), "\(table.groups[g]) \(b): \(c.hedgesG) vs \(hedges)")
    // statsmodels corrects with the approximation J ≈ 1 − 3/(4n − 9), which differs from the
    // exact J by less than 0.2 % for n ≥ 7.
    #expect(close(c.hedgesG, statsmodelsG, 2e-3), "\(table.groups[g]) \(b)")
  }
  // The baseline has no comparison and no adjusted p-value.
  #expect(table.cells[0].allSatisfy { $0.comparison == nil && $0.adjustedP.isNaN })
}

/// The cells count what the rule left out, and their means and intervals cover only the runs
/// that count (means and half-widths from `bench/comparison_reference.py`).
@Test func comparisonTableCountsLeftOutRunsAndAveragesTheRest() {
  let table = fixtureTable()
  #expect(table.cells[1][0].diverged == 1 && table.cells[1][0].missing == 0)
  #expect(table.cells[1][1].diverged == 0 && table.cells[1][1].missing == 1)
  #expect(table.cells[2][1].diverged == 1 && table.cells[2][1].missing == 1)
  #expect(table.cells[0][1].missing == 1)
  let intervals: [(Int, Int, Double, Double, Int)] = [
    (0, 0, 80.82000000000001, 1.6551898059865042, 5), (0, 1, 0.62, 0.053568553627141635, 4),
    (1, 0, 83.15, 2.4323690620284455, 4), (1, 1, 0.56, 0.05356855362714156, 4),
    (2, 0, 80.54, 1.2497087531633166, 5), (2, 1, 0.7, 0.02484137711750332, 3),
    (3, 0, 85.2, 1.279591442051822, 4), (3, 1, 0.49666666666666665, 0.06251609479375782, 3),
  ]
  for (g, b, mean, half, n) in intervals {
    let interval = table.cells[g][b].interval
    #expect(abs(interval.mean - mean) <= 1e-12 * mean)
    // The Student-t quantile is found by bisection to about 1e-10.
    #expect(abs(interval.halfWidth - half) <= 1e-8 * half)
    #expect(interval.count == n)
  }
}

/// The rendered table: a snapshot of the plain-text rows and the HTML of one cell. The numbers
/// in it are the reference values above in the report's formats (%.2f, %.3f for p, Holm and
/// g's %.2f); Holm p = 0.00237 carries two marks; a significant improvement is green, a
/// significant worsening of a lower-is-better outcome red.
@Test func comparisonTableRendersOneFormat() {
  let table = fixtureTable()
  let text = table.textTable(corner: "group")
  #expect(text.header == ["group", "t1", "t2"])
  #expect(
    text.rows[1] == [
      "a", "83.15 ± 2.43 (1 diverged) Δ +2.55** (paired p = 0.000395, Holm 0.00237, g = 1.46)",
      "0.560 ± 0.054 (1 missing) Δ -0.043 (paired p = 0.122, Holm 0.243, g = -1.55)",
    ])
  #expect(
    text.rows[3] == [
      "c", "85.20 ± 1.28 Δ +4.38** (Welch p = 0.000609, Holm 0.00304, g = 3.42)",
      "0.497 ± 0.063 Δ -0.123* (Welch p = 0.00264, Holm 0.0106, g = -3.39)",
    ])
  #expect(text.rows[0] == ["none", "80.82 ± 1.66", "0.620 ± 0.054 (1 missing)"])
  let html = table.html(corner: "group")
  #expect(html.contains("<small class=\"better\">+2.55** (paired p = 0.000395"))
  // c is lower on t2, where lower is better: an improvement.
  #expect(html.contains("<small class=\"better\">-0.123* (Welch"))
  #expect(html.contains("<span class=\"warn\">(1 diverged, 1 missing)</span>"))
  let columns = table.textTable(layout: .groupsAsColumns, corner: "block")
  #expect(columns.header == ["block", "none", "a", "b", "c"])
  #expect(columns.rows.map(\.[0]) == ["t1", "t2"])
}

/// Without a baseline group the table holds means only.
@Test func comparisonTableWithoutBaselineHasNoTests() {
  let table = ComparisonTable(
    groups: ["a", "b"], blocks: [ComparisonTable.Block("x", format: "%.1f")], baseline: nil
  ) { group, _ in comparisonFixture[group == "a" ? "a" : "b"]![0] }
  #expect(table.cells.flatMap { $0 }.allSatisfy { $0.comparison == nil })
}

import Experiments
import Foundation
import Report
import Statistics
import Trainability

/// seeds.json: each network's median boundary dimension over its zoom series, and their mean
/// with a Student-t 95 % confidence interval (`x̄ ± t₀.₉₇₅,ₙ₋₁·s/√n`; seeds without a boundary
/// are left out).
public struct SeedsRecord: Encodable, Sendable {
  public struct Seed: Encodable, Sendable {
    public var seed: UInt64
    public var medianDimension: Double?

    public init(seed: UInt64, medianDimension: Double?) {
      self.seed = seed
      self.medianDimension = medianDimension
    }
  }
  public var seeds: [Seed]
  public var meanMedianDimension: MeanInterval

  public init(seeds: [Seed]) {
    self.seeds = seeds
    meanMedianDimension = MeanInterval(seeds.compactMap(\.medianDimension))
  }
}

/// Spectral control of W₀ compared over networks: each condition's per-seed median boundary
/// dimensions against the first condition's, through the one ``ComparisonTable`` (paired by
/// seed, since seed S draws the same W₀, W₁, X, Y under every condition; Holm over the
/// conditions; Hedges' g). A seed without a boundary has no dimension and is counted as
/// missing.
public struct TrainabilityComparison: Sendable {
  public var conditions: [(name: String, seeds: SeedsRecord)]

  public init(conditions: [(name: String, seeds: SeedsRecord)]) {
    self.conditions = conditions
  }

  public var table: ComparisonTable {
    ComparisonTable(
      groups: conditions.map(\.name),
      blocks: [ComparisonTable.Block("median boundary D", format: "%.3f")],
      baseline: conditions.first?.name
    ) { name, _ in
      (conditions.first { $0.name == name }?.seeds.seeds ?? []).map {
        SeededValue(seed: $0.seed, value: $0.medianDimension)
      }
    }
  }

  /// comparison.json: per condition its seeds' medians, their mean ± 95 % CI and the test
  /// against the first condition.
  public struct Record: Encodable, Sendable {
    public struct Condition: Encodable, Sendable {
      var name: String
      var seeds: [SeedsRecord.Seed]
      var meanMedianDimension: MeanInterval
      var comparison: BaselineComparison?
      var holmAdjustedP: Double?
    }
    var baseline: String?
    var rule: String
    var conditions: [Condition]
  }

  public var record: Record {
    let table = self.table
    return Record(
      baseline: conditions.first?.name, rule: ComparisonTable.legend,
      conditions: conditions.indices.map { g in
        let cell = table.cells[g][0]
        return Record.Condition(
          name: conditions[g].name, seeds: conditions[g].seeds.seeds,
          meanMedianDimension: cell.interval,
          comparison: cell.comparison,
          holmAdjustedP: cell.adjustedP.isFinite ? cell.adjustedP : nil)
      })
  }

  /// comparison.html: the table, per-seed values, and links to each condition's reports.
  public func html(title: String, provenance: String) -> String {
    var page =
      htmlPageHead(title: title)
      + "<h1>\(escape(title))</h1><p class=\"note\">\(escape(provenance))</p>"
      + "<h2>Median boundary dimension per network</h2><p class=\"note\">\(escape(ComparisonTable.legend)) Seed S draws the same network and data under every condition, so the conditions pair by seed; the baseline is \(escape(conditions.first?.name ?? "")).</p>"
      + table.html(corner: "condition")
    let seeds = Array(Set(conditions.flatMap { $0.seeds.seeds.map(\.seed) })).sorted()
    page += "<h2>Per seed</h2><table><tr><th>condition</th>"
    page += seeds.map { "<th>seed \($0)</th>" }.joined() + "</tr>"
    for condition in conditions {
      page += "<tr><td>\(escape(condition.name))</td>"
      for seed in seeds {
        let value = condition.seeds.seeds.first { $0.seed == seed }?.medianDimension
        let text = value.map { String(format: "%.3f", $0) } ?? "–"
        page +=
          "<td><a href=\"\(escape(condition.name))/seed-\(seed)/report.html\">\(text)</a></td>"
      }
      page += "</tr>"
    }
    return page + "</table></body></html>\n"
  }
}

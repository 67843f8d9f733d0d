import Foundation
import Testing

/// Spectral control compared by the tool: `--spectral none,penalty:0.1:1,norm:4 --seeds 2` runs
/// both networks under each condition (seed-S/ in one folder per condition, each with its
/// seeds.json), and comparison.json holds, per condition, the medians of its seeds'
/// frames.json and the paired test against `none`. With two seeds the paired t statistic has
/// one degree of freedom, whose two-sided p-value is the Cauchy tail 1 − (2/π)·atan|t|; the
/// Holm adjustment of the two comparisons is min(1, 2·p_min) for the smaller and
/// max(min(1, 2·p_min), p_max) for the larger. Both are recomputed here from the seeds' files.
@Test func trainabilityComparesSpectralConditions() throws {
  let root = temporaryPath("compare")
  let run = try runConcurrently([
    [
      "run", "trainability", "--resolution", "32", "--steps", "40", "--zoom", "2", "--zoom-to",
      "3", "--seeds", "2", "--threads", "2", "--runs", root, "--name", "c", "--quiet",
      "--spectral", "none,penalty:0.1:1,norm:4",
    ]
  ])
  try #require(run.first?.status == 0, "\(run)")
  #expect(run[0].output.contains("median boundary D"))
  struct Frames: Decodable {
    var medianDimension: Double?
  }
  struct Comparison: Decodable {
    struct Test: Decodable {
      var test: String
      var difference: Double
      var pValue: Double
    }
    struct Condition: Decodable {
      struct Seed: Decodable {
        var seed: UInt64
        var medianDimension: Double?
      }
      var name: String
      var seeds: [Seed]
      var comparison: Test?
      var holmAdjustedP: Double?
    }
    var baseline: String?
    var conditions: [Condition]
  }
  let comparison = try JSONDecoder().decode(
    Comparison.self, from: Data(contentsOf: URL(fileURLWithPath: "\(root)/c/comparison.json")))
  #expect(comparison.baseline == "none")
  #expect(comparison.conditions.map(\.name) == ["none", "penalty-0.1-1.0", "norm-4.0"])
  var medians: [[Double]] = []
  for condition in comparison.conditions {
    var values: [Double] = []
    for seed in condition.seeds {
      let frames = try JSONDecoder().decode(
        Frames.self,
        from: Data(
          contentsOf: URL(
            fileURLWithPath: "\(root)/c/\(condition.name)/seed-\(seed.seed)/frames.json")))
      #expect(seed.medianDimension == frames.medianDimension)
      values.append(
        try #require(
          frames.medianDimension,
          "32² views 9 and 3 decades wide hold a boundary over box sizes 2, 4, 8"))
    }
    #expect(condition.seeds.map(\.seed) == [0, 1])
    medians.append(values)
    #expect(
      FileManager.default.fileExists(atPath: "\(root)/c/\(condition.name)/seeds.json"))
  }
  #expect(comparison.conditions[0].comparison == nil)
  var pValues: [Double] = []
  for g in 1...2 {
    let d = zip(medians[g], medians[0]).map { $0 - $1 }
    let mean = (d[0] + d[1]) / 2
    let sd = abs(d[0] - d[1]) / 2.0.squareRoot()
    let t = mean / (sd / 2.0.squareRoot())
    let p = 1 - 2 / Double.pi * atan(abs(t))
    let test = try #require(comparison.conditions[g].comparison)
    #expect(test.test == "paired")
    #expect(abs(test.difference - mean) < 1e-12)
    // The project's t tail is a continued fraction good to about 1e-12.
    #expect(abs(test.pValue - p) < 1e-9, "\(test.pValue) vs \(p)")
    pValues.append(p)
  }
  let low = min(1, 2 * pValues.min()!)
  let expectedHolm = pValues.map { $0 == pValues.min()! ? low : max(low, $0) }
  for g in 1...2 {
    #expect(abs(comparison.conditions[g].holmAdjustedP! - expectedHolm[g - 1]) < 1e-9)
  }
  let html = try String(contentsOfFile: "\(root)/c/comparison.html", encoding: .utf8)
  #expect(html.contains("<table class=\"comparison\">") && html.contains("Holm"))
}

import Foundation
import Testing

/// `crit demo --quick` gives the numbers pinned in `Fixtures/demo-quick.json`, which was
/// written (by `scripts/demo_fixture.py`) before the runner and run-record refactor: every
/// run's metrics.csv and summary.json without timings.
///
/// On the OpenBLAS core the fixture was made with, the files must be identical. On another
/// core the SGEMM kernels round differently (a different accumulation order), and 20 epochs of
/// Adam carry those 1e-7 differences to about 1e-4 in losses and indicators and can move a
/// test point across the boundary (0.5 % of accuracy each); there every number must agree
/// within 2e-2 absolute or 5 % relative, which still catches any change of method.
@Test func demoNumbersEqualThePinnedFixture() throws {
  let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/demo-quick.json")
  let fixture = try #require(
    JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL)) as? [String: Any])
  let expectedRuns = try #require(fixture["runs"] as? [String: [String: Any]])
  let runs = FileManager.default.temporaryDirectory.appendingPathComponent(
    "crit-fixture-\(UUID().uuidString)"
  ).path
  let demo = try runShippedCrit([
    "demo", "--quick", "--quiet", "--jobs", "2", "--runs", runs, "--name", "fixture",
  ])
  #expect(demo.status == 0, "\(demo.errors)")
  let bench = try runShippedCrit(["bench", "step", "--steps", "1", "--json"])
  let core =
    (try? JSONSerialization.jsonObject(with: Data(bench.output.utf8)) as? [String: Any])?[
      "blasCore"] as? String
  let sameCore = core == fixture["blasCore"] as? String
  for (name, expected) in expectedRuns {
    let directory = "\(runs)/fixture/\(name)"
    let metrics = try String(contentsOfFile: "\(directory)/metrics.csv", encoding: .utf8)
    var summary = try #require(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/summary.json")))
        as? [String: Any])
    summary["seconds"] = nil
    summary["epochsPerSecond"] = nil
    let expectedMetrics = try #require(expected["metrics"] as? String)
    let expectedSummary = try #require(expected["summary"] as? [String: Any])
    if sameCore {
      #expect(metrics == expectedMetrics, "\(name) metrics.csv")
      #expect(
        NSDictionary(dictionary: summary) == NSDictionary(dictionary: expectedSummary), "\(name)")
    } else {
      expectClose(numbers(in: metrics), numbers(in: expectedMetrics), "\(name) metrics.csv")
      // The tail of the update sizes' power-law fit starts at the x_min that minimises the KS
      // distance, a discrete choice among the sorted sizes: a 1e-4 perturbation can move it to
      // a neighbouring candidate and change the tail's length by several points (72 against 67
      // on a Zen core). It is held to 25 % here and left out of the element-wise comparison.
      var expectedSummary = expectedSummary
      let tail = (summary.removeTail(), expectedSummary.removeTail())
      if let got = tail.0, let want = tail.1 {
        #expect(abs(got - want) <= 0.25 * want, "\(name) updateSizeTail: \(got) vs \(want)")
      }
      // The power iteration's steps per update are counts of a stopping decision (the residual
      // crossing 10⁻²σ), which the same perturbation moves by a step here and there: 15.97
      // against 14.89 on a Zen 4 core with OpenBLAS's Cooperlake kernels. Held to 25 % too.
      let iterations = (
        summary.removeValue(forKey: "powerIterationsPerStep") as? NSNumber,
        expectedSummary.removeValue(forKey: "powerIterationsPerStep") as? NSNumber
      )
      if let got = iterations.0?.doubleValue, let want = iterations.1?.doubleValue {
        #expect(abs(got - want) <= 0.25 * want, "\(name) powerIterationsPerStep: \(got) vs \(want)")
      }
      expectClose(numbers(in: summary), numbers(in: expectedSummary), "\(name) summary.json")
    }
  }
}

/// Every number of a CSV text or JSON tree, in order (strings and empty fields skipped).
func numbers(in value: Any) -> [Double] {
  switch value {
  case let text as String:
    return text.split(whereSeparator: { $0 == "," || $0 == "\n" }).compactMap {
      Double($0)
    }
  case let number as NSNumber: return [number.doubleValue]
  case let list as [Any]: return list.flatMap { numbers(in: $0) }
  case let mapping as [String: Any]:
    return mapping.keys.sorted().flatMap { numbers(in: mapping[$0]!) }
  default: return []
  }
}

func expectClose(
  _ a: [Double], _ b: [Double], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    a.count == b.count, "\(what): \(a.count) numbers vs \(b.count)", sourceLocation: sourceLocation)
  for (x, y) in zip(a, b) where !(x.isNaN && y.isNaN) {
    let close = abs(x - y) <= 2e-2 || abs(x - y) <= 0.05 * max(abs(x), abs(y))
    #expect(close, "\(what): \(x) vs \(y)", sourceLocation: sourceLocation)
  }
}

extension Dictionary where Key == String, Value == Any {
  /// Removes and returns `dynamics.updateSizeTail`, if present.
  mutating func removeTail() -> Double? {
    guard var dynamics = self["dynamics"] as? [String: Any] else { return nil }
    let tail = (dynamics.removeValue(forKey: "updateSizeTail") as? NSNumber)?.doubleValue
    self["dynamics"] = dynamics
    return tail
  }
}

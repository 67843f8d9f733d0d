import Experiments
import Report
import Testing

/// Runs whose final test accuracy is `accuracy(seed)`.
func syntheticRuns(condition: String, task: String, accuracy: (Int) -> Double) -> [ProtocolRun] {
  (0..<6).map { seed in
    ProtocolRun(
      condition: condition, task: task, tau: nil, seed: UInt64(seed), status: "completed",
      metrics: [
        EpochMetrics(
          epoch: 1, trainLoss: 0.5, testLoss: 0.5, trainAccuracy: 0.5,
          testAccuracy: accuracy(seed), learningRate: 1e-3)
      ], summary: nil)
  }
}

/// A condition that is better than the baseline by a consistent margin on one task (paired by
/// seed: a tiny spread of differences, p far below 0.05 even after Holm) and no different on
/// another is reported as a claim that held on that task; one that is consistently worse is
/// reported as not holding, "worse on" the task. The table marks the first in green and the
/// second in red.
@Test func asisrVerdictsFollowThePairedTests() {
  let base = { (seed: Int) in 0.80 + 0.02 * Double(seed % 3) }
  var runs: [ProtocolRun] = []
  runs += syntheticRuns(condition: "none", task: "a", accuracy: base)
  runs += syntheticRuns(condition: "none", task: "b", accuracy: base)
  runs += syntheticRuns(condition: "adaptive", task: "a") { base($0) + 0.05 + 0.001 * Double($0) }
  runs += syntheticRuns(condition: "adaptive", task: "b") {
    base($0) + (($0 % 2 == 0) ? 0.01 : -0.01)
  }
  runs += syntheticRuns(condition: "jacobian-chi1", task: "a") {
    base($0) - 0.04 - 0.001 * Double($0)
  }
  runs += syntheticRuns(condition: "jacobian-chi1", task: "b") {
    base($0) - 0.04 + 0.001 * Double($0)
  }
  let report = AsisrReport(
    title: "t", runs: runs, conditions: ["none", "adaptive", "jacobian-chi1"], tasks: ["a", "b"],
    seconds: nil, description: "")
  let verdicts = Dictionary(
    uniqueKeysWithValues: report.verdicts().map { ($0.statement, $0.verdict) })
  #expect(
    verdicts["Adaptive targets reach a higher final test accuracy than no regularisation."]
      == "held on a")
  #expect(
    verdicts["The Jacobian χ₁ penalty reaches a higher final test accuracy than no regularisation."]
      == "did not hold: worse on a, b")
  // A claim whose outcome no run measured (robustness: these runs have no summaries) is
  // "not tested", not "did not hold"; claims about conditions that were not run are left out.
  #expect(
    verdicts["Adaptive targets are more robust to FGSM (ε = 0.05) than no regularisation."]
      == "not tested: no task had runs of both conditions with this outcome")
  #expect(verdicts.count == 3)
  let table = report.table(AsisrReport.outcomes[0])
  #expect(table.contains("class=\"better\">+5.25***"))
  #expect(table.contains("class=\"worse\">"))
}

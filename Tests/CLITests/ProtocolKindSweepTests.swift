import CritTestSupport
import Foundation
import Sweeps
import Testing

/// The protocols' run kinds are sweepable from a file like any other kind, through the shipped
/// binary: a `feature-learning` grid over P and the target (with its one-of key), and a
/// `rank-collapse` grid over the block's parts, and a `transformer-task` grid over the task and
/// the spectral control (its one-of key); every run completes with its kind and summary, and
/// `crit report` writes the comparison page.
@Test func protocolKindsAreSweepableFromFiles() throws {
  let sweeps = [
    (
      "feature-learning",
      """
      name: feature-sweep
      kind: feature-learning
      base: {dimension: 4, width: 8, samples: 16, steps: 20, recordEvery: 10, testCount: 50}
      grid:
        samples: [16, 32]
        target: [{hermite: {order: 3}}, {mixed: {epsilon: 0.1}}]
      """, 4, "overlap"
    ),
    (
      "rank-collapse",
      """
      name: collapse-sweep
      kind: rank-collapse
      base: {depth: 3, width: 8, heads: 2, length: 4}
      seeds: 2
      grid:
        parts: [{residual: false, layerNorm: false, mlp: false}, {residual: true, layerNorm: true, mlp: true}]
      """, 4, "residual"
    ),
    (
      "transformer-task",
      """
      name: transformer-sweep
      kind: transformer-task
      base: {vocabulary: 8, dimension: 4, length: 8, width: 16, heads: 2, depth: 1, steps: 10, recordEvery: 5, testCount: 16}
      grid:
        task: [reverse, toy-sum]
        control: [{none: {}}, {queryKeyPenalty: {strength: 0.01}}, {sigmaReparam: {}}]
      """, 6, "score"
    ),
  ]
  for (kind, text, count, key) in sweeps {
    let file = temporaryPath("\(kind).yaml", contents: text)
    let database = temporaryPath("\(kind).sqlite")
    let swept = try runShippedCrit(["sweep", file, "--store", "sqlite:\(database)", "--quiet"])
    #expect(swept.status == 0, "\(kind): \(swept.errors)")
    let store = try openStore("sqlite:\(database)", mustExist: true)
    let name = text.split(separator: "\n")[0].replacingOccurrences(of: "name: ", with: "")
    let runs = try store.runs(sweep: name)
    #expect(runs.count == count && runs.allSatisfy { $0.kind == kind && $0.status == "completed" })
    #expect(runs.allSatisfy { $0.values[key]?.isFinite == true }, "\(kind)")
    let page = temporaryPath("\(kind).html")
    let report = try runShippedCrit(["report", "sqlite:\(database)", "--out", page])
    #expect(report.status == 0, "\(kind): \(report.errors)")
  }
}

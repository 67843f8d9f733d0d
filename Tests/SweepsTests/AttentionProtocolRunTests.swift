import Experiments
import Foundation
import Report
import Sweeps
import Testing

/// The rank-collapse part of the attention protocol goes through the results store (one
/// `rank-collapse` run per architecture and seed, axes variant and seed), resumes without new
/// runs, and measures what it should: pure attention's −log r grows by a factor well above 1
/// per layer (doubly exponential; 1.5 leaves room below the ≈ 4 measured at these sizes),
/// attention with residual connections by a factor below 1.5 (close to exponential), and the
/// full pre-LN block keeps the residual above 0.1. Depth 16, width 16, 2 heads, 8 tokens,
/// 3 seeds. The trained part stores one `transformer-task` run per task, control and seed
/// (axes task, control, seed), each with its measures. The report has both parts' tables,
/// the three collapse charts and four per task, one attention map per control, layer and
/// head, and no NaN.
@Test func attentionProtocolRunsThroughTheStoreAndResumes() throws {
  let store = try temporaryStore()
  var definition = AttentionProtocol.quick()
  definition.name = "attention-test"
  definition.depth = 16
  definition.width = 16
  definition.heads = 2
  definition.length = 8
  definition.seeds = 3
  definition.training.seeds = 2
  definition.training.template.steps = 20
  definition.training.template.recordEvery = 10
  definition.training.template.width = 16
  definition.training.template.depth = 1
  let first = try #require(try definition.run(store: store, sweep: "a", jobs: 2))
  let runs = try store.runs(sweep: "a-collapse")
  #expect(runs.count == AttentionProtocol.variants.count * 3)
  #expect(runs.allSatisfy { $0.kind == "rank-collapse" && $0.status == "completed" })
  #expect(
    Set(runs.map { $0.assignments["variant"] ?? "" }).count == AttentionProtocol.variants.count)

  let trained = try store.runs(sweep: "a-training")
  let training = definition.training
  #expect(trained.count == training.tasks.count * training.controls.count * 2)
  #expect(trained.allSatisfy { $0.kind == "transformer-task" && $0.status == "completed" })
  #expect(Set(trained.map { $0.assignments["control"] ?? "" }).count == training.controls.count)
  for (run, result) in first.training.results {
    let r = try #require(result, "\(run.task) \(run.control)")
    #expect(r.snapshots.map(\.step) == [0, 10, 20])
    #expect(r.heads.count == 1 && r.heads[0].count == 4)
    #expect(r.weights.count == 6)
    #expect(r.finalJacobian.count == 8 * 16 && r.initialJacobian.count == 8 * 16)
    #expect(r.maps.count == 1 && r.maps[0].allSatisfy { $0.count == 64 })
  }

  let reports = LockedBox<[(Int, Int)]>([])
  let second = try #require(
    try definition.run(store: store, sweep: "a", jobs: 2) { _, done, total in
      reports.withLock { $0.append((done, total)) }
    })
  #expect(reports.current.allSatisfy { $0.0 == $0.1 })
  let variants = AttentionProtocol.variants
  #expect(first.curves(variants[0]).logResidual == second.curves(variants[0]).logResidual)

  let pure = first.growthFactor(variants[0])
  let residual = first.growthFactor(variants[1])
  #expect(pure.lower > 1.5, "pure attention: \(pure)")
  #expect(residual.upper < 1.5, "with residuals: \(residual)")
  let full = first.curves(variants[4]).logResidual
  #expect(full.allSatisfy { $0.mean > -1 }, "\(full.map(\.mean))")

  let report = AttentionReport(summary: first, seconds: 1, command: "test")
  let html = report.html()
  #expect(report.rows.count == variants.count)
  #expect(html.components(separatedBy: "<svg").count - 1 == 3 + 4 * training.tasks.count)
  #expect(
    html.components(separatedBy: "alt=\"attention map\"").count - 1
      == training.tasks.count * training.controls.count * 4)
  #expect(html.contains("Trained transformers") && html.contains("Heavy-tailed α"))
  #expect(!html.contains(">nan") && !html.contains("NaN"))
}

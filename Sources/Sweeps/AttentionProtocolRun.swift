import Experiments
import Foundation
import Runner

extension AttentionProtocol {
  /// The collapse runs as `rank-collapse` runs (axes: variant, seed) and the trained ones as
  /// `transformer-task` runs (axes: task, control, seed).
  public func parts() throws -> [ProtocolPart] {
    let runs = collapseRuns
    return [
      try ProtocolPart(
        name: "collapse", kind: RankCollapseKind.name, configurations: runs.map(\.run)
      ) { k, run in ["variant": runs[k].variant.label, "seed": "\(run.seed)"] },
      try ProtocolPart(
        name: "training", kind: TransformerTaskKind.name, configurations: training.runs
      ) { _, run in
        ["task": run.task.rawValue, "control": run.control.label, "seed": "\(run.seed)"]
      },
    ]
  }

  /// Runs the protocol through a results store (resumable, shareable between processes).
  /// Returns the summary, or `nil` if a stop was requested before every run finished.
  public func run(
    store: any ResultStore, sweep: String, jobs: Int, lease: Double = 60,
    stop: StopFlag = StopFlag(),
    progress: @escaping @Sendable (_ part: String, _ done: Int, _ total: Int) -> Void = {
      _, _, _ in
    }
  ) throws -> AttentionSummary? {
    try validate()
    guard
      let stored = try ProtocolPart.run(
        try parts(), store: store, sweep: sweep, specification: "crit run attention (\(name))",
        jobs: jobs, lease: lease, stop: stop, progress: progress)
    else { return nil }
    let decoder = JSONDecoder.forRuns
    let runs = try zip(collapseRuns, stored[0]).map { planned, stored in
      (
        planned.variant,
        try decoder.decode([RankCollapse.Layer].self, from: Data((stored.detail ?? "").utf8))
      )
    }
    let trained = zip(training.runs, stored[1]).map { run, stored in
      (
        run,
        try? decoder.decode(TransformerTaskRun.Result.self, from: Data((stored.detail ?? "").utf8))
      )
    }
    return AttentionSummary(
      definition: self, runs: runs,
      training: AttentionTrainingSummary(definition: training, results: trained))
  }
}

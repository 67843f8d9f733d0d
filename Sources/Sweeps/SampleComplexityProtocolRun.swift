import Experiments
import Foundation
import Runner

extension SampleComplexityProtocol {
  /// The protocol's three parts as runs of kind `feature-learning`: networks (axes d, P,
  /// draw), the GP alone at larger P (same axes) and the mixed target (axis draw).
  public func parts() throws -> [ProtocolPart] {
    let axes: (Int, FeatureLearningRun) -> [String: String] = { _, run in
      [
        "dimension": "\(run.dimension)", "samples": "\(run.samples)",
        "draw": "\(run.seed &- dataSeed(draw: 0))",
      ]
    }
    return [
      try ProtocolPart(
        name: "networks", kind: FeatureLearningKind.name, configurations: networkRuns, axes: axes
      ),
      try ProtocolPart(
        name: "kernels", kind: FeatureLearningKind.name, configurations: kernelRuns, axes: axes),
      try ProtocolPart(
        name: "mixed", kind: FeatureLearningKind.name, configurations: mixedRuns, axes: axes),
    ]
  }

  /// Runs the protocol through a results store (``ProtocolPart/run(_:store:sweep:specification:jobs:lease:stop:progress:)``):
  /// resumable, shareable between processes. Returns the summary, or `nil` if a stop was
  /// requested before every run finished.
  public func run(
    store: any ResultStore, sweep: String, jobs: Int, lease: Double = 300,
    stop: StopFlag = StopFlag(),
    progress: @escaping @Sendable (_ part: String, _ done: Int, _ total: Int) -> Void = {
      _, _, _ in
    }
  ) throws -> SampleComplexitySummary? {
    try validate()
    guard
      let stored = try ProtocolPart.run(
        try parts(), store: store, sweep: sweep,
        specification: "crit run sample-complexity (\(name))", jobs: jobs, lease: lease,
        stop: stop, progress: progress)
    else { return nil }
    let decoder = JSONDecoder.forRuns
    func results(_ runs: [FeatureLearningRun], _ stored: [StoredRun]) throws
      -> [SampleComplexitySummary.RunResult]
    {
      try zip(runs, stored).map { run, stored in
        (
          run,
          try decoder.decode(
            FeatureLearningRun.Result.self, from: Data((stored.detail ?? "").utf8))
        )
      }
    }
    return SampleComplexitySummary(
      definition: self, networks: try results(networkRuns, stored[0]),
      kernels: try results(kernelRuns, stored[1]), mixed: try results(mixedRuns, stored[2]))
  }
}

import Experiments
import Foundation
import Runner

extension ScalingProtocol {
  /// The kernel draws as runs of kind `kernel-curve` (axis: draw).
  public func plannedKernelRuns() throws -> [PlannedRun] {
    try ProtocolPart(
      name: "kernels", kind: KernelCurveKind.name, configurations: kernelDraws
    ) { k, _ in ["draw": "\(k)"] }.planned
  }

  /// The networks as runs of kind `network-curve` (axes: width, P, draw).
  public func plannedNetworkRuns() throws -> [PlannedRun] {
    try ProtocolPart(
      name: "networks", kind: NetworkCurveKind.name, configurations: networkRuns
    ) { _, run in
      [
        "width": "\(run.width)", "samples": "\(run.samples)",
        "draw": "\(run.seed &- data.seed)",
      ]
    }.planned
  }

  /// Runs the protocol through a results store (``ProtocolPart/run(_:store:sweep:specification:jobs:lease:stop:progress:)``):
  /// the kernel draws under `<sweep>-kernels`, then the networks under `<sweep>-networks`,
  /// with `jobs` worker threads. Returns the summary of the finished runs, or `nil` if a stop
  /// was requested before every run finished.
  public func run(
    store: any ResultStore, sweep: String, jobs: Int, lease: Double = 120,
    stop: StopFlag = StopFlag(),
    progress: @escaping @Sendable (_ part: String, _ done: Int, _ total: Int) -> Void = {
      _, _, _ in
    }
  ) throws -> ScalingSummary? {
    for run in kernelDraws { try run.validate() }
    for run in networkRuns { try run.validate() }
    let parts = [
      ProtocolPart(name: "kernels", kind: KernelCurveKind.name, planned: try plannedKernelRuns()),
      ProtocolPart(
        name: "networks", kind: NetworkCurveKind.name, planned: try plannedNetworkRuns()),
    ]
    guard
      let stored = try ProtocolPart.run(
        parts, store: store, sweep: sweep, specification: "crit run scaling (\(self.name))",
        jobs: jobs, lease: lease, stop: stop, progress: progress)
    else { return nil }
    let decoder = JSONDecoder.forRuns
    let draws = try stored[0].map {
      try decoder.decode(KernelCurveDraw.Result.self, from: Data(($0.detail ?? "").utf8))
    }
    let networks = try zip(networkRuns, stored[1]).map {
      run, stored -> (run: NetworkCurveRun, result: NetworkCurveRun.Result) in
      (
        run,
        try decoder.decode(NetworkCurveRun.Result.self, from: Data((stored.detail ?? "").utf8))
      )
    }
    return ScalingSummary(definition: self, draws: draws, networks: networks)
  }
}

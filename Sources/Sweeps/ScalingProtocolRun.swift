import Experiments
import Foundation
import Runner

extension ScalingProtocol {
  /// The kernel draws as runs of kind `kernel-curve` (axis: draw).
  public func plannedKernelRuns() throws -> [PlannedRun] {
    try planned(kernelDraws, kind: KernelCurveKind.name) { k, _ in ["draw": "\(k)"] }
  }

  /// The networks as runs of kind `network-curve` (axes: width, P, draw).
  public func plannedNetworkRuns() throws -> [PlannedRun] {
    try planned(networkRuns, kind: NetworkCurveKind.name) { _, run in
      [
        "width": "\(run.width)", "samples": "\(run.samples)",
        "draw": "\(run.seed &- data.seed)",
      ]
    }
  }

  func planned<C: Encodable>(
    _ configurations: [C], kind: String, axes: (Int, C) -> [String: String]
  ) throws -> [PlannedRun] {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    return try configurations.enumerated().map { k, configuration in
      let json = String(decoding: try encoder.encode(configuration), as: UTF8.self)
      return PlannedRun(
        hash: recordHash(kind: kind, configuration: json), configuration: json,
        assignments: axes(k, configuration))
    }
  }

  /// Runs the protocol through a results store: the kernel draws under `<sweep>-kernels`, then
  /// the networks under `<sweep>-networks` (runs finished there before are kept, so an
  /// interrupted protocol resumes, and other processes sharing the store may work on it), with
  /// `jobs` worker threads. Returns the summary of the finished runs, or `nil` if a stop was
  /// requested before every run finished.
  public func run(
    store: any ResultStore, sweep: String, jobs: Int, lease: Double = 120,
    stop: StopFlag = StopFlag(),
    progress: @escaping @Sendable (_ part: String, _ done: Int, _ total: Int) -> Void = {
      _, _, _ in
    }
  ) throws -> ScalingSummary? {
    for run in kernelDraws { try run.validate() }
    for run in networkRuns { try run.validate() }
    let parts: [(name: String, kind: String, planned: [PlannedRun])] = [
      ("kernels", KernelCurveKind.name, try plannedKernelRuns()),
      ("networks", NetworkCurveKind.name, try plannedNetworkRuns()),
    ]
    var stored: [String: [String: StoredRun]] = [:]
    for part in parts {
      let name = "\(sweep)-\(part.name)"
      try store.register(
        sweep: name, specification: "crit run scaling (\(self.name))", kind: part.kind,
        runs: part.planned)
      let done = LockedBox(try store.progress(sweep: name).finished)
      progress(part.name, done.current, part.planned.count)
      try SweepWorker.pool(store: store, sweep: name, jobs: jobs, lease: lease, stop: stop) {
        _, _ in
        done.withLock { count in
          count += 1
          progress(part.name, count, part.planned.count)
        }
      }
      if stop.isStopped { return nil }
      let runs = try store.runs(sweep: name)
      let planned = Set(part.planned.map(\.hash))
      if let failed = runs.first(where: {
        if case .failed = $0.status { return planned.contains($0.hash) } else { return false }
      }), case .failed(let message) = failed.status {
        throw ConfigurationFileError(
          "\(name): run \(failed.assignments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) failed: \(message)"
        )
      }
      stored[part.name] = Dictionary(
        runs.filter(\.status.isResult).map { ($0.hash, $0) },
        uniquingKeysWith: { first, _ in first })
    }
    let decoder = JSONDecoder.forRuns
    let draws = try parts[0].planned.compactMap { plan in
      try stored["kernels"]?[plan.hash]?.detail.map {
        try decoder.decode(KernelCurveDraw.Result.self, from: Data($0.utf8))
      }
    }
    let networks = try zip(networkRuns, parts[1].planned).compactMap {
      run, plan -> (run: NetworkCurveRun, result: NetworkCurveRun.Result)? in
      try stored["networks"]?[plan.hash]?.detail.map {
        (run, try decoder.decode(NetworkCurveRun.Result.self, from: Data($0.utf8)))
      }
    }
    guard draws.count == kernelDraws.count, networks.count == networkRuns.count else { return nil }
    return ScalingSummary(definition: self, draws: draws, networks: networks)
  }
}

import Experiments
import Foundation
import Runner

/// One part of a protocol that goes through a results store: its runs (all of one kind) under
/// the sweep `<protocol sweep>-<name>`.
public struct ProtocolPart: Sendable {
  public var name: String
  public var kind: String
  public var planned: [PlannedRun]

  public init(name: String, kind: String, planned: [PlannedRun]) {
    self.name = name
    self.kind = kind
    self.planned = planned
  }

  /// Configurations of `kind` as planned runs (canonical JSON, its hash, the axis values
  /// `axes` gives each).
  public init<C: Encodable>(
    name: String, kind: String, configurations: [C], axes: (Int, C) -> [String: String]
  ) throws {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    let planned = try configurations.enumerated().map { k, configuration in
      let json = String(decoding: try encoder.encode(configuration), as: UTF8.self)
      return PlannedRun(
        hash: recordHash(kind: kind, configuration: json), configuration: json,
        assignments: axes(k, configuration))
    }
    self.init(name: name, kind: kind, planned: planned)
  }

  /// Runs the parts one after another through `store`: registers each under
  /// `<sweep>-<name>` (runs finished there before are kept, so an interrupted protocol resumes
  /// and other processes sharing the store may work on it), works on it with `jobs` worker
  /// threads, and reads the finished runs back. Returns, per part, its planned runs' stored
  /// results in planned order; `nil` if a stop was requested before every run finished. A
  /// failed run is an error naming its part and axis values.
  public static func run(
    _ parts: [ProtocolPart], store: any ResultStore, sweep: String, specification: String,
    jobs: Int, lease: Double, stop: StopFlag,
    progress: @escaping @Sendable (_ part: String, _ done: Int, _ total: Int) -> Void
  ) throws -> [[StoredRun]]? {
    var results: [[StoredRun]] = []
    for part in parts {
      let name = "\(sweep)-\(part.name)"
      try store.register(
        sweep: name, specification: specification, kind: part.kind, runs: part.planned)
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
        let axes = failed.assignments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        throw ConfigurationFileError(
          "\(name): run \(axes.joined(separator: " ")) failed: \(message)")
      }
      let stored = Dictionary(
        runs.filter(\.status.isResult).map { ($0.hash, $0) },
        uniquingKeysWith: { first, _ in first })
      let finished = part.planned.compactMap { stored[$0.hash] }
      guard finished.count == part.planned.count else { return nil }
      results.append(finished)
    }
    return results
  }
}

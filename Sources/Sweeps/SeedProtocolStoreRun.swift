import Experiments
import Foundation
import Runner

/// A run of the seed protocol that the store holds as failed (its directory could not be
/// written): the protocol cannot report until it is fixed.
public struct SeedProtocolRunFailed: Error, CustomStringConvertible {
  public var directory: String
  public var message: String
  public var description: String {
    "the run \(directory) failed: \(message) (fix the cause, delete the results store to train it again)"
  }
}

extension SeedProtocolRun {
  /// The protocol's runs as MLP runs of the store, with their condition and seed as axis
  /// values.
  public var plannedRuns:
    [(hash: String, configuration: TrainingConfiguration, assignments: [String: String])]
  {
    definition.runs.map { run in
      (
        configurationHash(run.configuration), run.configuration,
        ["condition": definition.conditions[run.condition].name, "seed": "\(run.seed)"]
      )
    }
  }

  /// Registers the protocol's runs in `store` under `sweep` (runs finished there before are
  /// kept) and returns how many are finished and the epochs still to train.
  public func register(store: any ResultStore, sweep: String, specification: String) throws
    -> (finished: Int, pendingEpochs: Int)
  {
    let planned = plannedRuns
    try store.register(sweep: sweep, specification: specification, runs: planned)
    let finished = Set(try store.runs(sweep: sweep).filter(\.status.isResult).map(\.hash))
    let pending = zip(planned, definition.runs).filter { !finished.contains($0.0.hash) }
    return (
      planned.count - pending.count, pending.map(\.1.configuration.epochs).reduce(0, +)
    )
  }

  /// Carries out the registered runs not yet finished with `jobs` workers (``SweepWorker``),
  /// each writing its run directory before the store records it finished, then reads every
  /// finished run back from its directory. A run the store holds as finished whose directory
  /// is gone is trained again here (its seed gives the same numbers). Ctrl-C (`stop`) gives
  /// the current runs back: they are `nil` in the outcome and the same call resumes them.
  public func run(
    store: any ResultStore, sweep: String, train: Dataset, test: Dataset, jobs: Int,
    lease: Double = 60, stop: StopFlag,
    progress: @escaping @Sendable (Event) -> Void = { _ in }
  ) throws -> Outcome {
    let planned = plannedRuns
    let runs = runsWithDirectories
    let directories = Dictionary(
      zip(planned.map(\.hash), runs.map(\.directory)), uniquingKeysWith: { first, _ in first })
    let clock = ContinuousClock()
    let start = clock.now
    let finishedBefore = Set(try store.runs(sweep: sweep).filter(\.status.isResult).map(\.hash))
    try SweepWorker.pool(
      store: store, sweep: sweep, jobs: jobs, lease: lease, stop: stop,
      onFinished: { _, _ in progress(.runFinished) }, artifacts: { directories[$0.hash] },
      onEpoch: { progress(.epoch(testAccuracy: $0["testAccuracy"])) })
    let stored = Dictionary(
      try store.runs(sweep: sweep).map { ($0.hash, $0.status) },
      uniquingKeysWith: { first, _ in first })
    var results: [TrainingResult?] = []
    for (plan, run) in zip(planned, runs) {
      if case .failed(let message) = stored[plan.hash] {
        throw SeedProtocolRunFailed(directory: run.directory, message: message)
      }
      guard stored[plan.hash]?.isResult == true else {
        results.append(nil)
        continue
      }
      if let result = RunDirectory.read(from: run.directory),
        result.configuration == run.configuration
      {
        results.append(result)
        continue
      }
      let result = Experiments.train(
        run.configuration, train: train, test: test, shouldStop: { stop.isStopped })
      if case .interrupted = result.status {
        results.append(nil)
        continue
      }
      try RunDirectory.write(result, to: run.directory)
      results.append(result)
    }
    return Outcome(
      results: results, resumed: finishedBefore.count,
      seconds: (clock.now - start).inSeconds)
  }
}

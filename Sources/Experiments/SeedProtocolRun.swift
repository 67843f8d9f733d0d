import Data
import Foundation
import Runner

/// The seed protocol run in a directory: every (condition, seed) run trained in parallel into
/// `CONDITION/seed-S/` (``RunDirectory``), resumed from the runs a directory already holds
/// with the same configuration (a protocol stopped by Ctrl-C, or rerun with more seeds).
public struct SeedProtocolRun: Sendable {
  public var definition: SeedProtocol
  public var directory: String

  public init(definition: SeedProtocol, directory: String) {
    self.definition = definition
    self.directory = directory
  }

  /// Where run `(condition, seed)` lives.
  public func runDirectory(condition: Int, seed: UInt64) -> String {
    "\(directory)/\(definition.conditions[condition].name)/seed-\(seed)"
  }

  /// What the progress callback hears: a finished epoch of a run being trained (with its test
  /// accuracy), or a finished run.
  public enum Event: Sendable {
    case epoch(testAccuracy: Double?)
    case runFinished
  }

  /// The outcome: every run's result in ``SeedProtocol/runs`` order (`nil` or `.interrupted`
  /// when `stop` cut it short), how many were read back, and the seconds of training.
  public struct Outcome: Sendable {
    public var results: [TrainingResult?]
    public var resumed: Int
    public var seconds: Double

    /// Runs that finished (not interrupted, not unstarted).
    public var finishedCount: Int {
      results.filter { result in
        guard let result else { return false }
        if case .interrupted = result.status { return false }
        return true
      }.count
    }

    /// Every run finished.
    public var isComplete: Bool { finishedCount == results.count }
  }

  /// The runs its directory already holds finished with this protocol's configuration, in
  /// ``SeedProtocol/runs`` order (`nil` where a run is still to train). Read once and handed
  /// to ``run(resumed:train:test:jobs:stop:progress:writeFailed:)``.
  public func finishedRuns() -> [TrainingResult?] {
    definition.runs.map(read)
  }

  /// Epochs still to train (for a progress bar) given what is already finished.
  public func pendingEpochs(_ resumed: [TrainingResult?]) -> Int {
    zip(definition.runs, resumed).filter { $0.1 == nil }.map(\.0.configuration.epochs)
      .reduce(0, +)
  }

  /// A finished run of this configuration already in its directory.
  func read(_ run: (condition: Int, seed: UInt64, configuration: TrainingConfiguration))
    -> TrainingResult?
  {
    RunDirectory.read(from: runDirectory(condition: run.condition, seed: run.seed)).flatMap {
      $0.configuration == run.configuration ? $0 : nil
    }
  }

  /// Trains what `resumed` lacks on `jobs` threads and writes each run as it finishes; a run that
  /// cannot be written is reported through `writeFailed` and kept in memory.
  public func run(
    resumed: [TrainingResult?], train: Dataset, test: Dataset, jobs: Int, stop: StopFlag,
    progress: @escaping @Sendable (Event) -> Void = { _ in },
    writeFailed: @escaping @Sendable (String, any Error) -> Void = { _, _ in }
  ) -> Outcome {
    let runs = definition.runs
    let pending = runs.indices.filter { resumed[$0] == nil }
    let clock = ContinuousClock()
    let start = clock.now
    let paths = pending.map { runDirectory(condition: runs[$0].condition, seed: runs[$0].seed) }
    let trained = trainInParallel(
      pending.map { runs[$0].configuration }, train: train, test: test, jobs: jobs, stop: stop,
      onEpoch: { _, row in progress(.epoch(testAccuracy: row.testAccuracy)) },
      onFinish: { index, result in
        if case .interrupted = result.status { return }
        do {
          try RunDirectory.write(result, to: paths[index])
        } catch {
          writeFailed(paths[index], error)
        }
        progress(.runFinished)
      })
    var results = resumed
    for (k, index) in pending.enumerated() { results[index] = trained[k] }
    return Outcome(
      results: results, resumed: runs.count - pending.count,
      seconds: (clock.now - start).inSeconds)
  }

  /// The runs of each condition, for the report.
  public func conditions(_ outcome: Outcome) -> [ConditionRuns] {
    let runs = definition.runs
    return definition.conditions.enumerated().map { c, condition in
      ConditionRuns(
        name: condition.name,
        results: zip(runs, outcome.results).filter { $0.0.condition == c }.compactMap { $0.1 })
    }
  }
}

import Data
import Foundation
import Runner

/// The seed protocol in a directory: every (condition, seed) run has its directory
/// `CONDITION/seed-S/` (``RunDirectory``: metrics, summary and the trained weights the report
/// reads). The runs themselves are carried out and resumed through a results store (the
/// `Sweeps` module's `run(store:…)`); a directory is written before its run is stored as
/// finished, so the directories are a complete cache of the store's finished runs.
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

    public init(results: [TrainingResult?], resumed: Int, seconds: Double) {
      self.results = results
      self.resumed = resumed
      self.seconds = seconds
    }

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

  /// The runs of the protocol in ``SeedProtocol/runs`` order with their directories.
  public var runsWithDirectories:
    [(condition: Int, seed: UInt64, configuration: TrainingConfiguration, directory: String)]
  {
    definition.runs.map {
      (
        $0.condition, $0.seed, $0.configuration,
        runDirectory(condition: $0.condition, seed: $0.seed)
      )
    }
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

import Experiments
import Foundation
import GRDB
import Indicators

/// A run to record: its hash (``recordHash(kind:configuration:)``), its configuration as
/// canonical JSON, and the axis values that define it (`key.path` → value).
public struct PlannedRun: Sendable {
  public var hash: String
  public var configuration: String
  public var assignments: [String: String]

  public init(hash: String, configuration: String, assignments: [String: String]) {
    self.hash = hash
    self.configuration = configuration
    self.assignments = assignments
  }
}

/// A run of a sweep as handed to a worker.
public struct ClaimedRun: Sendable {
  public var id: Int64
  public var hash: String
  /// The kind of experiment (``ExperimentKinds``).
  public var kind: String
  /// The configuration as canonical JSON.
  public var configurationJSON: String

  /// The configuration of an MLP run; an error for runs of other kinds.
  public var configuration: TrainingConfiguration {
    get throws { try decodeTrainingConfiguration(configurationJSON, kind: kind) }
  }
}

/// Counts of a sweep's runs by status.
public struct SweepProgress: Sendable, Equatable {
  public var pending = 0
  public var running = 0
  public var completed = 0
  public var diverged = 0
  public var failed = 0
  public var total: Int { pending + running + completed + diverged + failed }

  public init(
    pending: Int = 0, running: Int = 0, completed: Int = 0, diverged: Int = 0, failed: Int = 0
  ) {
    self.pending = pending
    self.running = running
    self.completed = completed
    self.diverged = diverged
    self.failed = failed
  }
  public var finished: Int { completed + diverged + failed }

  /// Counts one status name read from a store.
  mutating func add(_ status: String, _ count: Int) {
    switch status {
    case "pending": pending += count
    case "running": running += count
    case "completed": completed += count
    case "diverged": diverged += count
    default: failed += count
    }
  }
}

/// A stored run, for reports and export: the one run record every kind of experiment
/// shares (kind, configuration, typed status, per-epoch named values, summary numbers).
public struct StoredRun: Sendable {
  public var id: Int64
  public var hash: String
  public var kind: String
  public var status: RecordStatus
  /// The configuration as canonical JSON.
  public var configurationJSON: String
  /// The axis values that define the run (`key.path` → value).
  public var assignments: [String: String]
  public var attempts: Int
  public var worker: String?
  public var seconds: Double?
  /// Per-epoch values by name, for every kind (an MLP's from its typed rows).
  public var epochs: [RecordedEpoch]
  /// Summary numbers by name (the columns of ``ExperimentKind/reportColumns``).
  public var values: [String: Double]
  /// The kind's own record of the run as JSON (a trainability frame's pixels), if any.
  public var detail: String?
  /// An MLP run's typed per-epoch rows (empty for other kinds).
  public var metrics: [EpochMetrics]
  /// An MLP run's summary (robustness, epochs to accuracy, …) once it finished.
  public var summary: RunSummary?
  /// The configuration's `seed`.
  public var seed: UInt64

  public var divergedEpoch: Int? {
    if case .diverged(let epoch) = status { return epoch }
    return nil
  }

  /// The configuration of an MLP run; an error for runs of other kinds.
  public var configuration: TrainingConfiguration {
    get throws { try decodeTrainingConfiguration(configurationJSON, kind: kind) }
  }

  init(
    id: Int64, hash: String, kind: String, status: RecordStatus, configuration: String,
    assignments: String, attempts: Int, worker: String?, seconds: Double?,
    epochs: [RecordedEpoch], summary: String?, detail: String?, metrics: [EpochMetrics]
  ) throws {
    self.id = id
    self.hash = hash
    self.kind = kind
    self.status = status
    configurationJSON = configuration
    self.assignments = try JSONDecoder.forRuns.decode(
      [String: String].self, from: Data(assignments.utf8))
    self.attempts = attempts
    self.worker = worker
    self.seconds = seconds
    self.metrics = metrics
    self.detail = detail
    if kind == ExperimentKinds.defaultName {
      self.epochs = metrics.map {
        RecordedEpoch(epoch: $0.epoch, values: RunOutcome.columns(of: $0))
      }
      values = RunOutcome.summaryValues(ofMLP: metrics)
      self.summary = StoredJSON.summary(summary)
    } else {
      self.epochs = epochs
      values = summaryNumbers(summary) ?? [:]
      self.summary = nil
    }
    let object = try? JSONSerialization.jsonObject(with: Data(configuration.utf8))
    let seed = (object as? [String: Any])?["seed"]
    self.seed = (seed as? UInt64) ?? (seed as? Int).flatMap(UInt64.init(exactly:)) ?? 0
  }
}

/// An MLP configuration from stored JSON; an error naming the kind for any other.
func decodeTrainingConfiguration(_ json: String, kind: String) throws -> TrainingConfiguration {
  guard kind == ExperimentKinds.defaultName else {
    throw ConfigurationFileError("this run is of kind \(kind), not an MLP training configuration")
  }
  return try JSONDecoder.forRuns.decode(TrainingConfiguration.self, from: Data(json.utf8))
}

/// Decodes the JSON columns of a stored metrics row and summary.
enum StoredJSON {
  static func indicators(_ text: String?) throws -> IndicatorSnapshot? {
    try text.map { try JSONDecoder.forRuns.decode(IndicatorSnapshot.self, from: Data($0.utf8)) }
  }
  static func targets(_ text: String?) throws -> [Double]? {
    try text.map { try JSONDecoder.forRuns.decode([Double].self, from: Data($0.utf8)) }
  }
  static func summary(_ text: String?) -> RunSummary? {
    text.flatMap { try? JSONDecoder.forRuns.decode(RunSummary.self, from: Data($0.utf8)) }
  }
}

/// Where sweeps, runs, per-epoch metrics and summaries live. One interface, several backends
/// (SQLite embedded; PostgreSQL for clusters), selected by a URL.
///
/// Claiming is atomic: a worker takes a pending run — or a running one whose lease has
/// expired because its worker died — and holds it by renewing the lease. Only the current
/// holder can complete a run, and a completed run is never handed out again, so every run is
/// completed exactly once.
public protocol ResultStore: Sendable {
  /// Records a sweep of runs of `kind`; runs already present (same sweep and hash) are kept
  /// as they are, finished or not. A sweep name already holding runs of another kind is an
  /// error.
  func register(sweep: String, specification: String, kind: String, runs: [PlannedRun]) throws
  /// Takes the next run for `worker`, or `nil` when none is left to take.
  func claim(sweep: String, worker: String, lease: Double) throws -> ClaimedRun?
  /// Extends the lease; `false` if the run is no longer this worker's.
  func renew(run: Int64, worker: String, lease: Double) throws -> Bool
  /// Stores the outcome; `false` (and nothing stored) if the run is no longer this worker's.
  func complete(run: Int64, worker: String, outcome: RunOutcome) throws -> Bool
  /// Gives a run back unfinished (Ctrl-C).
  func release(run: Int64, worker: String) throws
  func progress(sweep: String) throws -> SweepProgress
  func sweeps() throws -> [String]
  func runs(sweep: String) throws -> [StoredRun]
}

extension ResultStore {
  /// Records a sweep of MLP runs.
  public func register(
    sweep: String, specification: String,
    runs: [(hash: String, configuration: TrainingConfiguration, assignments: [String: String])]
  ) throws {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    try register(
      sweep: sweep, specification: specification, kind: ExperimentKinds.defaultName,
      runs: try runs.map {
        PlannedRun(
          hash: $0.hash,
          configuration: String(decoding: try encoder.encode($0.configuration), as: UTF8.self),
          assignments: $0.assignments)
      })
  }

  /// Stores an MLP run's result.
  public func complete(run: Int64, worker: String, result: TrainingResult) throws -> Bool {
    try complete(run: run, worker: worker, outcome: RunOutcome(result))
  }
}

/// The error for a sweep name that already holds runs of another kind.
func kindConflict(sweep: String, stored: String, wanted: String) -> ConfigurationFileError {
  ConfigurationFileError(
    "sweep \(sweep): the store already holds \(stored) runs under this name, not \(wanted) runs; give the sweep another name"
  )
}

/// Opens the store a URL names: `sqlite:PATH` (or a plain path ending in .sqlite/.db), or
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
///
/// With `mustExist` (reading commands: report, export) an SQLite path that names no file is
/// an error instead of a new empty store.
public func openStore(_ url: String, mustExist: Bool = false) throws -> any ResultStore {
  func openSQLite(_ path: String) throws -> SQLiteStore {
    guard !path.isEmpty else {
      throw ConfigurationFileError(
        "store \(url): give the database file after sqlite:, e.g. sqlite:runs/sweep.sqlite")
    }
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    if exists && isDirectory.boolValue {
      throw ConfigurationFileError("store \(url): \(path) is a directory, not a database file")
    }
    if mustExist && !exists {
      throw ConfigurationFileError(
        "store \(url): no database at \(path) (crit sweep creates one; check the path)")
    }
    do {
      return try SQLiteStore(path: path)
    } catch let error as DatabaseError {
      throw ConfigurationFileError(
        "store \(url): cannot be opened as a results store (SQLite: \(error.message ?? "\(error.resultCode)"))"
      )
    } catch let error as CocoaError {
      throw ConfigurationFileError(
        "store \(url): cannot create \(path) (\(error.localizedDescription))")
    }
  }
  if url.hasPrefix("sqlite:") { return try openSQLite(String(url.dropFirst("sqlite:".count))) }
  if url.hasSuffix(".sqlite") || url.hasSuffix(".db") { return try openSQLite(url) }
  if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
    return try PostgresStore(url: url)
  }
  throw ConfigurationFileError(
    "--store \(url): unknown store URL (allowed: sqlite:PATH, postgres://USER@HOST/DB)")
}

/// An identifier for this worker: host and process, plus a thread tag.
public func workerIdentifier(_ tag: String = "") -> String {
  "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)\(tag.isEmpty ? "" : "-\(tag)")"
}

/// What a store writes when a run finishes, built once from a ``RunOutcome`` so that every
/// backend stores the same status, summary and per-epoch rows: an MLP run's typed rows and
/// ``RunSummary``, any other kind's named values, summary numbers and detail.
struct StoredOutcome {
  /// One `metrics` row; non-finite losses are `nil` (SQL has no NaN), indicators as JSON.
  struct EpochRow {
    var epoch: Int
    var trainLoss: Double?
    var testLoss: Double?
    var trainAccuracy: Double?
    var testAccuracy: Double?
    var learningRate: Double
    var indicators: String?
    /// Per-layer targets τ_l as a JSON list (adaptive targets).
    var targets: String?
  }
  /// One `run_values` row.
  struct Value {
    var epoch: Int
    var name: String
    var value: Double?
  }

  var status: String
  var divergedEpoch: Int?
  var message: String?
  var seconds: Double
  var summary: String
  var detail: String?
  var epochs: [EpochRow] = []
  var values: [Value] = []

  init(_ outcome: RunOutcome) throws {
    status = outcome.status.name
    divergedEpoch = nil
    message = nil
    switch outcome.end {
    case .diverged(let epoch): divergedEpoch = epoch
    case .failed(let text): message = text
    case .completed: break
    }
    seconds = outcome.seconds
    detail = outcome.detail
    guard let result = outcome.training else {
      summary = summaryJSON(outcome.summary)
      values = outcome.epochs.flatMap { epoch in
        epoch.values.keys.sorted().map {
          Value(epoch: epoch.epoch, name: $0, value: finiteOrNil(epoch.values[$0]!))
        }
      }
      return
    }
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    summary = String(decoding: try encoder.encode(RunSummary(result)), as: UTF8.self)
    epochs = try result.metrics.map { m in
      EpochRow(
        epoch: m.epoch, trainLoss: finiteOrNil(m.trainLoss), testLoss: finiteOrNil(m.testLoss),
        trainAccuracy: m.trainAccuracy, testAccuracy: m.testAccuracy,
        learningRate: m.learningRate,
        indicators: try m.indicators.map {
          String(decoding: try encoder.encode($0), as: UTF8.self)
        },
        targets: try m.targets.map { String(decoding: try encoder.encode($0), as: UTF8.self) })
    }
  }
}

/// NaN and ±∞ become NULL (SQL has no non-finite numbers).
func finiteOrNil(_ x: Double) -> Double? { x.isFinite ? x : nil }

import Experiments
import Foundation
import GRDB
import Indicators

/// A run of a sweep as handed to a worker.
public struct ClaimedRun: Sendable {
  public var id: Int64
  public var hash: String
  public var configuration: TrainingConfiguration
}

/// Counts of a sweep's runs by status.
public struct SweepProgress: Sendable, Equatable {
  public var pending = 0
  public var running = 0
  public var completed = 0
  public var diverged = 0
  public var total: Int { pending + running + completed + diverged }
  public var finished: Int { completed + diverged }
}

/// A stored run with its outcome, for reports and export.
public struct StoredRun: Sendable {
  public var id: Int64
  public var hash: String
  public var status: String
  public var configuration: TrainingConfiguration
  /// The axis values that define the run (`key.path` → value).
  public var assignments: [String: String]
  public var attempts: Int
  public var divergedEpoch: Int?
  public var worker: String?
  public var seconds: Double?
  public var metrics: [EpochMetrics]
  /// The run's summary (robustness, epochs to accuracy, …) once it finished.
  public var summary: RunSummary?
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
  /// Records a sweep and its runs; runs already present (same sweep and hash) are kept as they
  /// are, finished or not.
  func register(
    sweep: String, specification: String,
    runs: [(hash: String, configuration: TrainingConfiguration, assignments: [String: String])])
    throws
  /// Takes the next run for `worker`, or `nil` when none is left to take.
  func claim(sweep: String, worker: String, lease: Double) throws -> ClaimedRun?
  /// Extends the lease; `false` if the run is no longer this worker's.
  func renew(run: Int64, worker: String, lease: Double) throws -> Bool
  /// Stores the outcome; `false` (and nothing stored) if the run is no longer this worker's.
  func complete(run: Int64, worker: String, result: TrainingResult) throws -> Bool
  /// Gives a run back unfinished (Ctrl-C).
  func release(run: Int64, worker: String) throws
  func progress(sweep: String) throws -> SweepProgress
  func sweeps() throws -> [String]
  func runs(sweep: String) throws -> [StoredRun]
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

/// What a store writes when a run finishes, built once from a ``TrainingResult`` so that every
/// backend stores the same status, summary and per-epoch rows.
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

  var status: String
  var divergedEpoch: Int?
  var seconds: Double
  var summary: String
  var epochs: [EpochRow]

  init(_ result: TrainingResult) throws {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    summary = String(decoding: try encoder.encode(RunSummary(result)), as: UTF8.self)
    status = "completed"
    divergedEpoch = nil
    if case .diverged(let epoch) = result.status {
      status = "diverged"
      divergedEpoch = epoch
    }
    seconds = result.seconds
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

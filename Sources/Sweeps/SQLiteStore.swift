import Experiments
import Foundation
import GRDB
import Indicators

/// The embedded results store: one SQLite file (through GRDB), safe for several worker
/// threads and processes at once. Claims run in `BEGIN IMMEDIATE` transactions, so two
/// workers can never take the same run; every connection waits up to 60 s for a lock.
public final class SQLiteStore: ResultStore, @unchecked Sendable {
  let database: DatabaseQueue
  public let path: String

  public init(path: String) throws {
    self.path = path
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var configuration = Configuration()
    configuration.busyMode = .timeout(60)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL")
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    database = try DatabaseQueue(path: path, configuration: configuration)
    try database.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        try db.execute(sql: Self.schema)
        try db.execute(sql: TileSchema.frames)
        try db.execute(sql: TileSchema.tiles)
        // Stores made before per-epoch targets were recorded gain the column.
        let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(metrics)").map {
          $0["name"] as String
        }
        if !columns.contains("targets") {
          try db.execute(sql: "ALTER TABLE metrics ADD COLUMN targets TEXT")
        }
        return .commit
      }
    }
  }

  /// The tables every store shares (PostgreSQL uses the same columns).
  static let schema = """
    CREATE TABLE IF NOT EXISTS sweeps (
      name TEXT PRIMARY KEY, specification TEXT NOT NULL, created REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      sweep TEXT NOT NULL REFERENCES sweeps(name),
      hash TEXT NOT NULL,
      config TEXT NOT NULL,
      assignments TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      worker TEXT,
      lease_expires REAL,
      attempts INTEGER NOT NULL DEFAULT 0,
      started REAL,
      finished REAL,
      seconds REAL,
      diverged_epoch INTEGER,
      UNIQUE (sweep, hash));
    CREATE INDEX IF NOT EXISTS runs_by_status ON runs (sweep, status);
    CREATE TABLE IF NOT EXISTS metrics (
      run_id INTEGER NOT NULL REFERENCES runs(id),
      epoch INTEGER NOT NULL,
      train_loss REAL, test_loss REAL, train_accuracy REAL, test_accuracy REAL,
      learning_rate REAL, indicators TEXT, targets TEXT,
      PRIMARY KEY (run_id, epoch));
    CREATE TABLE IF NOT EXISTS summaries (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id), summary TEXT NOT NULL);
    """

  static var now: Double { Date().timeIntervalSince1970 }

  func immediate<T>(_ body: (Database) throws -> T) throws -> T {
    try database.writeWithoutTransaction { db in
      var value: T?
      try db.inTransaction(.immediate) {
        value = try body(db)
        return .commit
      }
      return value!
    }
  }

  public func register(
    sweep: String, specification: String,
    runs: [(hash: String, configuration: TrainingConfiguration, assignments: [String: String])]
  ) throws {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    try immediate { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO sweeps (name, specification, created) VALUES (?, ?, ?)",
        arguments: [sweep, specification, Self.now])
      for run in runs {
        let config = String(decoding: try encoder.encode(run.configuration), as: UTF8.self)
        let assignments = String(decoding: try encoder.encode(run.assignments), as: UTF8.self)
        try db.execute(
          sql: "INSERT OR IGNORE INTO runs (sweep, hash, config, assignments) VALUES (?, ?, ?, ?)",
          arguments: [sweep, run.hash, config, assignments])
      }
    }
  }

  public func claim(sweep: String, worker: String, lease: Double) throws -> ClaimedRun? {
    let row: Row? = try immediate { db in
      let now = Self.now
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT id, hash, config FROM runs WHERE sweep = ?
              AND (status = 'pending' OR (status = 'running' AND lease_expires < ?))
            ORDER BY id LIMIT 1
            """, arguments: [sweep, now])
      else { return nil }
      try db.execute(
        sql: """
          UPDATE runs SET status = 'running', worker = ?, lease_expires = ?, started = ?,
            attempts = attempts + 1 WHERE id = ?
          """, arguments: [worker, now + lease, now, row["id"] as Int64])
      return row
    }
    guard let row else { return nil }
    let configuration = try JSONDecoder.forRuns.decode(
      TrainingConfiguration.self, from: Data((row["config"] as String).utf8))
    return ClaimedRun(id: row["id"], hash: row["hash"], configuration: configuration)
  }

  public func renew(run: Int64, worker: String, lease: Double) throws -> Bool {
    try immediate { db in
      try db.execute(
        sql: "UPDATE runs SET lease_expires = ? WHERE id = ? AND worker = ? AND status = 'running'",
        arguments: [Self.now + lease, run, worker])
      return db.changesCount == 1
    }
  }

  public func complete(run: Int64, worker: String, result: TrainingResult) throws -> Bool {
    let outcome = try StoredOutcome(result)
    return try immediate { db in
      try db.execute(
        sql: """
          UPDATE runs SET status = ?, finished = ?, seconds = ?, diverged_epoch = ?, lease_expires = NULL
          WHERE id = ? AND worker = ? AND status = 'running'
          """,
        arguments: [outcome.status, Self.now, outcome.seconds, outcome.divergedEpoch, run, worker])
      guard db.changesCount == 1 else { return false }
      for m in outcome.epochs {
        try db.execute(
          sql: """
            INSERT INTO metrics (run_id, epoch, train_loss, test_loss, train_accuracy, test_accuracy,
              learning_rate, indicators, targets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            run, m.epoch, m.trainLoss, m.testLoss, m.trainAccuracy, m.testAccuracy,
            m.learningRate, m.indicators, m.targets,
          ])
      }
      try db.execute(
        sql: "INSERT INTO summaries (run_id, summary) VALUES (?, ?)",
        arguments: [run, outcome.summary])
      return true
    }
  }

  public func release(run: Int64, worker: String) throws {
    try immediate { db in
      try db.execute(
        sql:
          "UPDATE runs SET status = 'pending', worker = NULL, lease_expires = NULL WHERE id = ? AND worker = ? AND status = 'running'",
        arguments: [run, worker])
    }
  }

  public func progress(sweep: String) throws -> SweepProgress {
    try database.read { db in
      var progress = SweepProgress()
      for row in try Row.fetchAll(
        db, sql: "SELECT status, COUNT(*) AS n FROM runs WHERE sweep = ? GROUP BY status",
        arguments: [sweep])
      {
        let n: Int = row["n"]
        switch row["status"] as String {
        case "pending": progress.pending = n
        case "running": progress.running = n
        case "completed": progress.completed = n
        case "diverged": progress.diverged = n
        default: break
        }
      }
      return progress
    }
  }

  public func sweeps() throws -> [String] {
    try database.read { db in
      try String.fetchAll(db, sql: "SELECT name FROM sweeps ORDER BY created")
    }
  }

  public func runs(sweep: String) throws -> [StoredRun] {
    try database.read { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT * FROM runs WHERE sweep = ? ORDER BY id", arguments: [sweep])
      return try rows.map { row in
        let id: Int64 = row["id"]
        let metrics = try Row.fetchAll(
          db, sql: "SELECT * FROM metrics WHERE run_id = ? ORDER BY epoch", arguments: [id]
        ).map { m in
          EpochMetrics(
            epoch: m["epoch"], trainLoss: m["train_loss"] ?? .nan, testLoss: m["test_loss"] ?? .nan,
            trainAccuracy: m["train_accuracy"], testAccuracy: m["test_accuracy"],
            learningRate: m["learning_rate"],
            indicators: try StoredJSON.indicators(m["indicators"]),
            targets: try StoredJSON.targets(m["targets"]))
        }
        return StoredRun(
          id: id, hash: row["hash"], status: row["status"],
          configuration: try JSONDecoder.forRuns.decode(
            TrainingConfiguration.self, from: Data((row["config"] as String).utf8)),
          assignments: try JSONDecoder.forRuns.decode(
            [String: String].self, from: Data((row["assignments"] as String).utf8)),
          attempts: row["attempts"], divergedEpoch: row["diverged_epoch"], worker: row["worker"],
          seconds: row["seconds"], metrics: metrics,
          summary: StoredJSON.summary(
            try String.fetchOne(
              db, sql: "SELECT summary FROM summaries WHERE run_id = ?", arguments: [id])))
      }
    }
  }
}

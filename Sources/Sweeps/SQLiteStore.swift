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
        try Self.checkRunsTable(db, path: path)
        try db.execute(sql: Self.schema)
        try Self.upgrade(db)
        return .commit
      }
    }
  }

  /// Columns added since the first stores, added to an older store when it opens: per-epoch
  /// targets; the run record's kind, failure message, summary detail and named values.
  static let additions = [
    ("metrics", "targets", "TEXT"), ("runs", "kind", "TEXT NOT NULL DEFAULT 'mlp'"),
    ("runs", "message", "TEXT"), ("summaries", "detail", "TEXT"),
  ]

  static func upgrade(_ db: Database) throws {
    for (table, column, type) in additions {
      let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map {
        $0["name"] as String
      }
      if !columns.contains(column) {
        try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column) \(type)")
      }
    }
  }

  /// A database whose `runs` table is not a results store's is refused in one line.
  static func checkRunsTable(_ db: Database, path: String) throws {
    let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(runs)").map { $0["name"] as String }
    let needed = ["id", "sweep", "hash", "config", "assignments", "status"]
    if !columns.isEmpty, let missing = needed.first(where: { !columns.contains($0) }) {
      throw ConfigurationFileError(
        "store sqlite:\(path): its runs table has no \(missing) column, so it is not a results store; give crit sweep a new file"
      )
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
      kind TEXT NOT NULL DEFAULT 'mlp',
      message TEXT,
      UNIQUE (sweep, hash));
    CREATE INDEX IF NOT EXISTS runs_by_status ON runs (sweep, status);
    CREATE TABLE IF NOT EXISTS metrics (
      run_id INTEGER NOT NULL REFERENCES runs(id),
      epoch INTEGER NOT NULL,
      train_loss REAL, test_loss REAL, train_accuracy REAL, test_accuracy REAL,
      learning_rate REAL, indicators TEXT, targets TEXT,
      PRIMARY KEY (run_id, epoch));
    CREATE TABLE IF NOT EXISTS summaries (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id), summary TEXT NOT NULL, detail TEXT);
    CREATE TABLE IF NOT EXISTS run_values (
      run_id INTEGER NOT NULL REFERENCES runs(id), epoch INTEGER NOT NULL, name TEXT NOT NULL,
      value REAL, PRIMARY KEY (run_id, epoch, name));
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

  public func register(sweep: String, specification: String, kind: String, runs: [PlannedRun])
    throws
  {
    try immediate { db in
      if let stored = try String.fetchOne(
        db, sql: "SELECT kind FROM runs WHERE sweep = ? AND kind <> ? LIMIT 1",
        arguments: [sweep, kind])
      {
        throw kindConflict(sweep: sweep, stored: stored, wanted: kind)
      }
      try db.execute(
        sql: "INSERT OR IGNORE INTO sweeps (name, specification, created) VALUES (?, ?, ?)",
        arguments: [sweep, specification, Self.now])
      let insert = try db.makeStatement(
        sql:
          "INSERT OR IGNORE INTO runs (sweep, hash, config, assignments, kind) VALUES (?, ?, ?, ?, ?)"
      )
      let encoder = JSONEncoder.forRuns
      encoder.outputFormatting = [.sortedKeys]
      for run in runs {
        let assignments = String(decoding: try encoder.encode(run.assignments), as: UTF8.self)
        try insert.execute(arguments: [sweep, run.hash, run.configuration, assignments, kind])
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
            SELECT id, hash, config, kind FROM runs WHERE sweep = ?
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
    return ClaimedRun(
      id: row["id"], hash: row["hash"], kind: row["kind"], configurationJSON: row["config"])
  }

  public func renew(run: Int64, worker: String, lease: Double) throws -> Bool {
    try immediate { db in
      try db.execute(
        sql: "UPDATE runs SET lease_expires = ? WHERE id = ? AND worker = ? AND status = 'running'",
        arguments: [Self.now + lease, run, worker])
      return db.changesCount == 1
    }
  }

  public func complete(run: Int64, worker: String, outcome: RunOutcome) throws -> Bool {
    let stored = try StoredOutcome(outcome)
    return try immediate { db in
      try db.execute(
        sql: """
          UPDATE runs SET status = ?, finished = ?, seconds = ?, diverged_epoch = ?, message = ?,
            lease_expires = NULL
          WHERE id = ? AND worker = ? AND status = 'running'
          """,
        arguments: [
          stored.status, Self.now, stored.seconds, stored.divergedEpoch, stored.message, run,
          worker,
        ])
      guard db.changesCount == 1 else { return false }
      for m in stored.epochs {
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
      if !stored.values.isEmpty {
        let insert = try db.makeStatement(
          sql: "INSERT INTO run_values (run_id, epoch, name, value) VALUES (?, ?, ?, ?)")
        for v in stored.values {
          try insert.execute(arguments: [run, v.epoch, v.name, v.value])
        }
      }
      try db.execute(
        sql: "INSERT INTO summaries (run_id, summary, detail) VALUES (?, ?, ?)",
        arguments: [run, stored.summary, stored.detail])
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
        progress.add(row["status"], row["n"])
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
        let kind: String = row["kind"]
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
        var epochs: [RecordedEpoch] = []
        for v in try Row.fetchAll(
          db, sql: "SELECT epoch, name, value FROM run_values WHERE run_id = ? ORDER BY epoch",
          arguments: [id])
        {
          let epoch: Int = v["epoch"]
          if epochs.last?.epoch != epoch { epochs.append(RecordedEpoch(epoch: epoch, values: [:])) }
          epochs[epochs.count - 1].values[v["name"]] = v["value"] ?? .nan
        }
        let summary = try Row.fetchOne(
          db, sql: "SELECT summary, detail FROM summaries WHERE run_id = ?", arguments: [id])
        return try StoredRun(
          id: id, hash: row["hash"], kind: kind,
          status: RecordStatus(
            name: row["status"], divergedEpoch: row["diverged_epoch"], message: row["message"]),
          configuration: row["config"], assignments: row["assignments"],
          attempts: row["attempts"], worker: row["worker"], seconds: row["seconds"],
          epochs: epochs, summary: summary?["summary"], detail: summary?["detail"],
          metrics: metrics)
      }
    }
  }
}

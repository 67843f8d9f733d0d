import Experiments
import Foundation
import Indicators
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The results store for clusters: a PostgreSQL database that many workers on many machines
/// share, with the same tables as ``SQLiteStore``. A worker claims a run with one statement,
/// `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING …`, so concurrent
/// workers never wait on each other's rows and never take the same run.
///
/// Each thread that queries at the same time gets its own connection (opened on first need
/// and kept for reuse), so the worker threads of one process do not queue behind each other.
///
/// URL: `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (TLS off; for a cluster's private
/// network or loopback).
public final class PostgresStore: ResultStore, @unchecked Sendable {
  let group: MultiThreadedEventLoopGroup
  let configuration: PostgresConnection.Configuration
  let url: String
  static let logger = Logger(label: "crit.store")
  var logger: Logger { Self.logger }
  /// Guards `idle` and `opened`.
  let lock = NSLock()
  /// Connections not in use by any thread.
  var idle: [PostgresConnection] = []
  /// Connections opened so far (for connection ids).
  var opened = 0

  public init(url: String) throws {
    guard let components = URLComponents(string: url), let host = components.host,
      let user = components.user
    else {
      throw ConfigurationFileError(
        "--store \(url): expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    }
    self.url = url
    let database =
      components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    configuration = PostgresConnection.Configuration(
      host: host, port: components.port ?? 5432, username: user, password: components.password,
      database: database.isEmpty ? user : database, tls: .disable)
    do {
      try withConnection { connection in
        // Serialise schema creation between workers starting at once.
        try Self.run("SELECT pg_advisory_lock(4242)", on: connection)
        defer { _ = try? Self.run("SELECT pg_advisory_unlock(4242)", on: connection) }
        for statement in Self.schema {
          try Self.run(PostgresQuery(unsafeSQL: statement), on: connection)
        }
      }
    } catch {
      closeAll()
      throw error
    }
  }

  deinit { closeAll() }

  func closeAll() {
    for connection in idle { try? connection.close().wait() }
    idle = []
    try? group.syncShutdownGracefully()
  }

  /// Runs `body` on a connection no other thread is using; a connection that broke is dropped
  /// instead of being reused.
  func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    let connection = try take()
    defer {
      lock.withLock {
        if !connection.isClosed { idle.append(connection) }
      }
    }
    return try body(connection)
  }

  func take() throws -> PostgresConnection {
    let (reused, id): (PostgresConnection?, Int) = lock.withLock {
      if let connection = idle.popLast() { return (connection, 0) }
      opened += 1
      return (nil, opened)
    }
    if let reused { return reused }
    do {
      return try PostgresConnection.connect(
        on: group.next(), configuration: configuration, id: id, logger: logger
      ).wait()
    } catch {
      throw ConfigurationFileError(
        "--store \(url): cannot connect to PostgreSQL (\(String(reflecting: error).prefix(200)))")
    }
  }

  static let schema = [
    "CREATE TABLE IF NOT EXISTS sweeps (name TEXT PRIMARY KEY, specification TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)",
    """
    CREATE TABLE IF NOT EXISTS runs (
      id BIGSERIAL PRIMARY KEY, sweep TEXT NOT NULL REFERENCES sweeps(name), hash TEXT NOT NULL,
      config TEXT NOT NULL, assignments TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
      worker TEXT, lease_expires DOUBLE PRECISION, attempts INTEGER NOT NULL DEFAULT 0,
      started DOUBLE PRECISION, finished DOUBLE PRECISION, seconds DOUBLE PRECISION,
      diverged_epoch INTEGER, UNIQUE (sweep, hash))
    """,
    "CREATE INDEX IF NOT EXISTS runs_by_status ON runs (sweep, status)",
    """
    CREATE TABLE IF NOT EXISTS metrics (
      run_id BIGINT NOT NULL REFERENCES runs(id), epoch INTEGER NOT NULL,
      train_loss DOUBLE PRECISION, test_loss DOUBLE PRECISION, train_accuracy DOUBLE PRECISION,
      test_accuracy DOUBLE PRECISION, learning_rate DOUBLE PRECISION, indicators TEXT,
      PRIMARY KEY (run_id, epoch))
    """,
    "ALTER TABLE metrics ADD COLUMN IF NOT EXISTS targets TEXT",
    "CREATE TABLE IF NOT EXISTS summaries (run_id BIGINT PRIMARY KEY REFERENCES runs(id), summary TEXT NOT NULL)",
    // The run record's kind, failure message, summary detail and named per-epoch values
    // (stores made before them gain them when they open).
    "ALTER TABLE runs ADD COLUMN IF NOT EXISTS kind TEXT NOT NULL DEFAULT 'mlp'",
    "ALTER TABLE runs ADD COLUMN IF NOT EXISTS message TEXT",
    "ALTER TABLE summaries ADD COLUMN IF NOT EXISTS detail TEXT",
    """
    CREATE TABLE IF NOT EXISTS run_values (
      run_id BIGINT NOT NULL REFERENCES runs(id), epoch INTEGER NOT NULL, name TEXT NOT NULL,
      value DOUBLE PRECISION, PRIMARY KEY (run_id, epoch, name))
    """,
  ]

  @discardableResult
  static func run(_ query: PostgresQuery, on connection: PostgresConnection) throws
    -> PostgresQueryResult
  {
    try connection.query(query, logger: logger).wait()
  }

  /// One statement on a free connection.
  @discardableResult
  func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
    try withConnection { try Self.run(query, on: $0) }
  }

  /// Runs `body` in a transaction on one connection (rolled back if it throws or returns
  /// false).
  func transaction(_ body: (_ run: (PostgresQuery) throws -> PostgresQueryResult) throws -> Bool)
    throws -> Bool
  {
    try withConnection { connection in
      let run = { (query: PostgresQuery) in try Self.run(query, on: connection) }
      _ = try run("BEGIN")
      do {
        let keep = try body(run)
        _ = try run(keep ? "COMMIT" : "ROLLBACK")
        return keep
      } catch {
        _ = try? run("ROLLBACK")
        throw error
      }
    }
  }

  static var now: Double { Date().timeIntervalSince1970 }

  public func register(sweep: String, specification: String, kind: String, runs: [PlannedRun])
    throws
  {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    let now = Self.now
    _ = try transaction { run in
      for row in try run(
        "SELECT kind FROM runs WHERE sweep = \(sweep) AND kind <> \(kind) LIMIT 1")
      {
        throw kindConflict(sweep: sweep, stored: try row.decode(String.self), wanted: kind)
      }
      _ = try run(
        "INSERT INTO sweeps (name, specification, created) VALUES (\(sweep), \(specification), \(now)) ON CONFLICT DO NOTHING"
      )
      // Many rows per statement: one round trip per 500 runs instead of one per run.
      for start in stride(from: 0, to: runs.count, by: 500) {
        let chunk = runs[start..<min(start + 500, runs.count)]
        var query = PostgresQuery(
          unsafeSQL: "INSERT INTO runs (sweep, hash, config, assignments, kind) VALUES ")
        var bindings = PostgresBindings()
        var tuples: [String] = []
        for r in chunk {
          let base = bindings.count
          bindings.append(sweep)
          bindings.append(r.hash)
          bindings.append(r.configuration)
          bindings.append(String(decoding: try encoder.encode(r.assignments), as: UTF8.self))
          bindings.append(kind)
          tuples.append("(" + (1...5).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
        }
        query = PostgresQuery(
          unsafeSQL: query.sql + tuples.joined(separator: ", ") + " ON CONFLICT DO NOTHING",
          binds: bindings)
        _ = try run(query)
      }
      return true
    }
  }

  public func claim(sweep: String, worker: String, lease: Double) throws -> ClaimedRun? {
    let now = Self.now
    let expires = now + lease
    let rows = try run(
      """
      UPDATE runs SET status = 'running', worker = \(worker), lease_expires = \(expires),
        started = \(now), attempts = attempts + 1
      WHERE id = (SELECT id FROM runs WHERE sweep = \(sweep)
        AND (status = 'pending' OR (status = 'running' AND lease_expires < \(now)))
        ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING id, hash, config, kind
      """)
    guard let row = rows.first(where: { _ in true }) else { return nil }
    let (id, hash, config, kind) = try row.decode((Int64, String, String, String).self)
    return ClaimedRun(id: id, hash: hash, kind: kind, configurationJSON: config)
  }

  public func renew(run id: Int64, worker: String, lease: Double) throws -> Bool {
    let expires = Self.now + lease
    let result = try run(
      "UPDATE runs SET lease_expires = \(expires) WHERE id = \(id) AND worker = \(worker) AND status = 'running'"
    )
    return result.metadata.rows == 1
  }

  public func complete(run id: Int64, worker: String, outcome: RunOutcome) throws -> Bool {
    let stored = try StoredOutcome(outcome)
    let now = Self.now
    return try transaction { run in
      let updated = try run(
        """
        UPDATE runs SET status = \(stored.status), finished = \(now), seconds = \(stored.seconds),
          diverged_epoch = \(stored.divergedEpoch), message = \(stored.message),
          lease_expires = NULL
        WHERE id = \(id) AND worker = \(worker) AND status = 'running'
        """)
      guard updated.metadata.rows == 1 else { return false }
      for m in stored.epochs {
        _ = try run(
          """
          INSERT INTO metrics (run_id, epoch, train_loss, test_loss, train_accuracy, test_accuracy,
            learning_rate, indicators, targets) VALUES (\(id), \(m.epoch), \(m.trainLoss),
            \(m.testLoss), \(m.trainAccuracy), \(m.testAccuracy), \(m.learningRate),
            \(m.indicators), \(m.targets))
          """)
      }
      for start in stride(from: 0, to: stored.values.count, by: 1000) {
        let chunk = stored.values[start..<min(start + 1000, stored.values.count)]
        var bindings = PostgresBindings()
        var tuples: [String] = []
        for v in chunk {
          let base = bindings.count
          bindings.append(id)
          bindings.append(Int32(v.epoch))
          bindings.append(v.name)
          bindings.append(v.value)
          tuples.append("(" + (1...4).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
        }
        _ = try run(
          PostgresQuery(
            unsafeSQL: "INSERT INTO run_values (run_id, epoch, name, value) VALUES "
              + tuples.joined(separator: ", "), binds: bindings))
      }
      _ = try run(
        "INSERT INTO summaries (run_id, summary, detail) VALUES (\(id), \(stored.summary), \(stored.detail))"
      )
      return true
    }
  }

  public func release(run id: Int64, worker: String) throws {
    try run(
      "UPDATE runs SET status = 'pending', worker = NULL, lease_expires = NULL WHERE id = \(id) AND worker = \(worker) AND status = 'running'"
    )
  }

  public func progress(sweep: String) throws -> SweepProgress {
    let rows = try run(
      "SELECT status, COUNT(*) FROM runs WHERE sweep = \(sweep) GROUP BY status")
    var progress = SweepProgress()
    for row in rows {
      let (status, n) = try row.decode((String, Int64).self)
      progress.add(status, Int(n))
    }
    return progress
  }

  public func sweeps() throws -> [String] {
    try run("SELECT name FROM sweeps ORDER BY created").map {
      try $0.decode(String.self)
    }
  }

  public func runs(sweep: String) throws -> [StoredRun] {
    // Four queries for the whole sweep (not three per run): runs, their metrics, their named
    // values, summaries.
    let rows = try run(
      "SELECT id, hash, status, config, assignments, attempts, diverged_epoch, worker, seconds, kind, message FROM runs WHERE sweep = \(sweep) ORDER BY id"
    )
    var metricsByRun: [Int64: [EpochMetrics]] = [:]
    for m in try run(
      "SELECT m.run_id, m.epoch, m.train_loss, m.test_loss, m.train_accuracy, m.test_accuracy, m.learning_rate, m.indicators, m.targets FROM metrics m JOIN runs r ON r.id = m.run_id WHERE r.sweep = \(sweep) ORDER BY m.run_id, m.epoch"
    ) {
      let (id, epoch, trainLoss, testLoss, trainAccuracy, testAccuracy, lr, indicators, targets) =
        try m.decode(
          (Int64, Int32, Double?, Double?, Double?, Double?, Double, String?, String?).self)
      metricsByRun[id, default: []].append(
        EpochMetrics(
          epoch: Int(epoch), trainLoss: trainLoss ?? .nan, testLoss: testLoss ?? .nan,
          trainAccuracy: trainAccuracy, testAccuracy: testAccuracy, learningRate: lr,
          indicators: try StoredJSON.indicators(indicators),
          targets: try StoredJSON.targets(targets)))
    }
    var valuesByRun: [Int64: [RecordedEpoch]] = [:]
    for v in try run(
      "SELECT v.run_id, v.epoch, v.name, v.value FROM run_values v JOIN runs r ON r.id = v.run_id WHERE r.sweep = \(sweep) ORDER BY v.run_id, v.epoch"
    ) {
      let (id, epoch, name, value) = try v.decode((Int64, Int32, String, Double?).self)
      var epochs = valuesByRun[id, default: []]
      if epochs.last?.epoch != Int(epoch) {
        epochs.append(RecordedEpoch(epoch: Int(epoch), values: [:]))
      }
      epochs[epochs.count - 1].values[name] = value ?? .nan
      valuesByRun[id] = epochs
    }
    var summaries: [Int64: (String, String?)] = [:]
    for row in try run(
      "SELECT s.run_id, s.summary, s.detail FROM summaries s JOIN runs r ON r.id = s.run_id WHERE r.sweep = \(sweep)"
    ) {
      let (id, summary, detail) = try row.decode((Int64, String, String?).self)
      summaries[id] = (summary, detail)
    }
    return try rows.map { row in
      let (
        id, hash, status, config, assignments, attempts, diverged, worker, seconds, kind, message
      ) =
        try row.decode(
          (Int64, String, String, String, String, Int32, Int32?, String?, Double?, String, String?)
            .self)
      return try StoredRun(
        id: id, hash: hash, kind: kind,
        status: RecordStatus(
          name: status, divergedEpoch: diverged.map(Int.init), message: message),
        configuration: config, assignments: assignments, attempts: Int(attempts), worker: worker,
        seconds: seconds, epochs: valuesByRun[id] ?? [], summary: summaries[id]?.0,
        detail: summaries[id]?.1, metrics: metricsByRun[id] ?? [])
    }
  }
}

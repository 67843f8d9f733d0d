import Foundation
import GRDB
import PostgresNIO

/// Frames split into tiles that workers in several processes (or cluster jobs) claim, compute
/// and store: the resumable layout of a large trainability image. A frame is registered once
/// with its specification and tile count; a worker claims a pending tile (or one whose lease
/// ran out), computes it and completes it with its values; the frame is done when every tile
/// is. Values are stored bit-exact (the raw little-endian doubles, base64).
public protocol TileStore: Sendable {
  /// Registers `frame` with `tiles` tiles (no-op if it exists with the same specification;
  /// an error if the name is taken by another specification or tile count).
  func registerFrame(_ frame: String, specification: String, tiles: Int) throws
  /// Claims a tile of `frame` for `lease` seconds; nil when none is free.
  func claimTile(frame: String, worker: String, lease: Double) throws -> Int?
  /// Stores a claimed tile's values; false if the claim was lost.
  func completeTile(
    frame: String, tile: Int, worker: String, values: [Double], seconds: Double
  ) throws -> Bool
  /// Tiles done, held by a worker, and in all.
  func tileProgress(frame: String) throws -> TileProgress
  /// The values of every completed tile.
  func tileValues(frame: String) throws -> [Int: [Double]]
}

/// Where a tiled frame stands.
public struct TileProgress: Sendable, Equatable {
  public var done = 0
  public var running = 0
  public var total = 0
  public var isComplete: Bool { total > 0 && done == total }
}

/// The exact bytes of `values` as base64 text, and back.
enum TileEncoding {
  static func encode(_ values: [Double]) -> String {
    values.withUnsafeBufferPointer { Data(buffer: $0) }.base64EncodedString()
  }

  static func decode(_ text: String) throws -> [Double] {
    guard let data = Data(base64Encoded: text), data.count % 8 == 0 else {
      throw ConfigurationFileError("tile store: a stored tile's values are corrupt")
    }
    return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
  }
}

/// The tables of tiled frames (SQLite and PostgreSQL use the same columns).
enum TileSchema {
  static let frames =
    "CREATE TABLE IF NOT EXISTS frames (name TEXT PRIMARY KEY, specification TEXT NOT NULL, tiles INTEGER NOT NULL)"
  static let tiles = """
    CREATE TABLE IF NOT EXISTS tiles (
      frame TEXT NOT NULL REFERENCES frames(name), tile INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending', worker TEXT, lease_expires DOUBLE PRECISION,
      seconds DOUBLE PRECISION, vals TEXT, PRIMARY KEY (frame, tile))
    """

  static func mismatch(_ frame: String) -> ConfigurationFileError {
    ConfigurationFileError(
      "tile store: frame '\(frame)' is already registered with another specification or tile count; choose another --name or store"
    )
  }
}

extension SQLiteStore: TileStore {
  public func registerFrame(_ frame: String, specification: String, tiles: Int) throws {
    try immediate { db in
      if let row = try Row.fetchOne(
        db, sql: "SELECT specification, tiles FROM frames WHERE name = ?", arguments: [frame])
      {
        guard row["specification"] as String == specification, row["tiles"] as Int == tiles else {
          throw TileSchema.mismatch(frame)
        }
        return
      }
      try db.execute(
        sql: "INSERT INTO frames (name, specification, tiles) VALUES (?, ?, ?)",
        arguments: [frame, specification, tiles])
      for tile in 0..<tiles {
        try db.execute(
          sql: "INSERT INTO tiles (frame, tile) VALUES (?, ?)", arguments: [frame, tile])
      }
    }
  }

  public func claimTile(frame: String, worker: String, lease: Double) throws -> Int? {
    try immediate { db in
      let now = Self.now
      guard
        let tile = try Int.fetchOne(
          db,
          sql: """
            SELECT tile FROM tiles WHERE frame = ?
              AND (status = 'pending' OR (status = 'running' AND lease_expires < ?))
            ORDER BY tile LIMIT 1
            """, arguments: [frame, now])
      else { return nil }
      try db.execute(
        sql:
          "UPDATE tiles SET status = 'running', worker = ?, lease_expires = ? WHERE frame = ? AND tile = ?",
        arguments: [worker, now + lease, frame, tile])
      return tile
    }
  }

  public func completeTile(
    frame: String, tile: Int, worker: String, values: [Double], seconds: Double
  ) throws -> Bool {
    try immediate { db in
      try db.execute(
        sql: """
          UPDATE tiles SET status = 'done', vals = ?, seconds = ?, lease_expires = NULL
          WHERE frame = ? AND tile = ? AND worker = ? AND status = 'running'
          """, arguments: [TileEncoding.encode(values), seconds, frame, tile, worker])
      return db.changesCount == 1
    }
  }

  public func tileProgress(frame: String) throws -> TileProgress {
    try database.read { db in
      var progress = TileProgress()
      for row in try Row.fetchAll(
        db, sql: "SELECT status, COUNT(*) AS n FROM tiles WHERE frame = ? GROUP BY status",
        arguments: [frame])
      {
        let n: Int = row["n"]
        progress.total += n
        switch row["status"] as String {
        case "done": progress.done = n
        case "running": progress.running = n
        default: break
        }
      }
      return progress
    }
  }

  public func tileValues(frame: String) throws -> [Int: [Double]] {
    try database.read { db in
      var values: [Int: [Double]] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT tile, vals FROM tiles WHERE frame = ? AND status = 'done'",
        arguments: [frame])
      {
        values[row["tile"]] = try TileEncoding.decode(row["vals"])
      }
      return values
    }
  }
}

extension PostgresStore: TileStore {
  public func registerFrame(_ frame: String, specification: String, tiles: Int) throws {
    let count = Int32(tiles)
    // Workers may register the same frame at the same moment: inserts that lose the race do
    // nothing, and every worker then checks the stored specification.
    _ = try transaction { run in
      _ = try run(
        "INSERT INTO frames (name, specification, tiles) VALUES (\(frame), \(specification), \(count)) ON CONFLICT DO NOTHING"
      )
      let stored = try run("SELECT specification, tiles FROM frames WHERE name = \(frame)")
      guard let row = stored.first(where: { _ in true }) else { throw TileSchema.mismatch(frame) }
      let (text, storedCount) = try row.decode((String, Int32).self)
      guard text == specification, storedCount == count else { throw TileSchema.mismatch(frame) }
      for tile in 0..<count {
        _ = try run(
          "INSERT INTO tiles (frame, tile) VALUES (\(frame), \(tile)) ON CONFLICT DO NOTHING")
      }
      return true
    }
  }

  public func claimTile(frame: String, worker: String, lease: Double) throws -> Int? {
    let now = Self.now
    let expires = now + lease
    let rows = try run(
      """
      UPDATE tiles SET status = 'running', worker = \(worker), lease_expires = \(expires)
      WHERE (frame, tile) = (SELECT frame, tile FROM tiles WHERE frame = \(frame)
        AND (status = 'pending' OR (status = 'running' AND lease_expires < \(now)))
        ORDER BY tile FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING tile
      """)
    guard let row = rows.first(where: { _ in true }) else { return nil }
    return Int(try row.decode(Int32.self))
  }

  public func completeTile(
    frame: String, tile: Int, worker: String, values: [Double], seconds: Double
  ) throws -> Bool {
    let encoded = TileEncoding.encode(values)
    let index = Int32(tile)
    let result = try run(
      """
      UPDATE tiles SET status = 'done', vals = \(encoded), seconds = \(seconds), lease_expires = NULL
      WHERE frame = \(frame) AND tile = \(index) AND worker = \(worker) AND status = 'running'
      """)
    return result.metadata.rows == 1
  }

  public func tileProgress(frame: String) throws -> TileProgress {
    var progress = TileProgress()
    let rows = try run(
      "SELECT status, COUNT(*) FROM tiles WHERE frame = \(frame) GROUP BY status")
    for row in rows {
      let (status, n) = try row.decode((String, Int64).self)
      progress.total += Int(n)
      if status == "done" { progress.done = Int(n) }
      if status == "running" { progress.running = Int(n) }
    }
    return progress
  }

  public func tileValues(frame: String) throws -> [Int: [Double]] {
    var values: [Int: [Double]] = [:]
    for row in try run("SELECT tile, vals FROM tiles WHERE frame = \(frame) AND status = 'done'") {
      let (tile, text) = try row.decode((Int32, String).self)
      values[Int(tile)] = try TileEncoding.decode(text)
    }
    return values
  }
}

/// Opens a store that can hold tiled frames (`sqlite:PATH` or `postgres://…`).
public func openTileStore(_ url: String) throws -> any TileStore {
  guard let store = try openStore(url) as? any TileStore else {
    throw ConfigurationFileError("--store \(url): this store cannot hold tiled frames")
  }
  return store
}

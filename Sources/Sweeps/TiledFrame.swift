import Experiments
import Foundation
import Runner
import Trainability

/// A trainability frame computed tile by tile through a ``TileStore``: tile k of K holds the
/// rows `k·r/K ..< (k+1)·r/K` of the r × r grid. Any number of processes (or cluster jobs)
/// may run ``work(store:worker:lease:threads:stop:progress:)`` on the same frame; each claims
/// free tiles until none is left, then waits for the tiles other workers hold (or for their
/// leases to run out), and every one of them returns the merged frame. A pixel's measure does
/// not depend on which process, tile or thread computed it, so the merged frame equals the
/// frame computed in one process, bit for bit.
public struct TiledTrainabilityFrame: Sendable {
  public var setup: TrainabilitySetup
  public var view: TrainabilityView
  public var resolution: Int
  public var tiles: Int
  /// The frame's key in the store.
  public var name: String

  public init(
    setup: TrainabilitySetup, view: TrainabilityView, resolution: Int, tiles: Int, name: String
  ) {
    self.setup = setup
    self.view = view
    self.resolution = resolution
    self.tiles = tiles
    self.name = name
  }

  /// The rows of tile k.
  public func rows(_ k: Int) -> Range<Int> {
    (k * resolution / tiles)..<((k + 1) * resolution / tiles)
  }

  /// The frame's specification as stored (sorted-key JSON of setup, view and resolution).
  public var specification: String {
    struct Specification: Codable {
      var setup: TrainabilitySetup
      var view: TrainabilityView
      var resolution: Int
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data =
      (try? encoder.encode(Specification(setup: setup, view: view, resolution: resolution)))
      ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  /// Works on the frame until it is complete (returns its measures, row-major, and the number
  /// of tiles this worker computed) or `stop` is set (returns nil). `progress` receives the
  /// pixels this worker finished so far.
  public func work(
    store: any TileStore, worker: String, lease: Double, threads: Int, stop: StopFlag,
    progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) throws -> (measures: [Double], tilesComputed: Int)? {
    var computed = 0
    try store.registerFrame(name, specification: specification, tiles: tiles)
    var finished = 0
    while !stop.isStopped {
      if let tile = try store.claimTile(frame: name, worker: worker, lease: lease) {
        let clock = ContinuousClock()
        let start = clock.now
        let base = finished
        guard
          let values = TrainabilityFrame.compute(
            setup, view: view, resolution: resolution, threads: threads, rows: rows(tile),
            stop: { stop.isStopped }, progress: { progress(base + $0) })
        else { return nil }
        finished += values.count
        computed += 1
        _ = try store.completeTile(
          frame: name, tile: tile, worker: worker, values: values,
          seconds: (clock.now - start).inSeconds)
        continue
      }
      let state = try store.tileProgress(frame: name)
      if state.isComplete { return (try merged(store: store), computed) }
      // Tiles held by other workers: wait for them to finish or their leases to expire.
      Thread.sleep(forTimeInterval: min(max(lease / 4, 0.05), 2))
    }
    return nil
  }

  /// The frame's measures from the stored tiles (every tile must be done).
  public func merged(store: any TileStore) throws -> [Double] {
    let values = try store.tileValues(frame: name)
    var measures: [Double] = []
    measures.reserveCapacity(resolution * resolution)
    for k in 0..<tiles {
      guard let tile = values[k], tile.count == rows(k).count * resolution else {
        throw ConfigurationFileError(
          "tile store: frame '\(name)' tile \(k) is missing or incomplete")
      }
      measures += tile
    }
    return measures
  }
}

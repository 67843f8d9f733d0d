import Data
import Experiments
import Foundation
import Report
import Runner
import Trainability

/// One network's zoom series toward its trainability boundary (SPEC §7 protocol 4,
/// Sohl-Dickstein 2024), with its files in one directory:
///
/// - `problem/{x,y,w0,w1}.npy`: the network and data;
/// - per frame k: `frame-k.npy` (r × r float64 measures, row 0 = smallest v), `frame-k.png`
///   and `frame-k.json` (what it was computed with);
/// - `frames.json` (``FramesRecord``) and `report.html`.
///
/// Every frame is computed through a results store as `tiles` runs of kind
/// `trainability-frame` (one tile of rows each, sweep `storeName/frame-k`), worked on by
/// `threads` workers here and by any other process running the same series on the same store;
/// the frame is its tiles merged in row order. A rerun finds the frame's tiles finished in the
/// store and computes nothing (an interrupted series resumes at its first unfinished tile);
/// the files of a frame are written from the store's record, a cache of it.
public struct TrainabilitySeries: Sendable {
  public var setup: TrainabilitySetup
  public var zoom: TrainabilityZoom
  public var resolution: Int
  public var threads: Int
  public var directory: String
  /// The sweep of frame k's tiles in the store is `storeName/frame-k`.
  public var storeName: String
  public var tiles: Int
  public var lease: Double

  public init(
    setup: TrainabilitySetup, zoom: TrainabilityZoom, resolution: Int, threads: Int,
    directory: String, storeName: String, tiles: Int, lease: Double
  ) {
    self.setup = setup
    self.zoom = zoom
    self.resolution = resolution
    self.threads = threads
    self.directory = directory
    self.storeName = storeName
    self.tiles = tiles
    self.lease = lease
  }

  /// A finished series: its frames and report.
  public struct Outcome: Sendable {
    public var frames: [TrainabilityFrame]
    public var report: TrainabilityReport
    public var pixelSteps: Double
    public var seconds: Double
    public var medianDimension: Double? { report.medianDimension }
  }

  /// How a series ended.
  public enum Ending: Sendable {
    case finished(Outcome)
    /// `stop` interrupted it after `framesFinished` frames (which stay on disk).
    case interrupted(framesFinished: Int)
  }

  /// Computes (or reads back) every frame and writes the files. `progress` receives the pixels
  /// done over the whole series (`zoom.frames × resolution²` in all); `log` one line per event,
  /// flagged `notice` where it matters even to a quiet caller (a series cut short, this
  /// process's share of the tiles).
  public func run(
    store: any ResultStore, shared: Bool = false, stop: StopFlag,
    progress: @escaping @Sendable (Int) -> Void = { _ in },
    log: (_ line: String, _ notice: Bool) -> Void = { _, _ in }
  ) throws -> Ending {
    try writeProblem()
    var frames: [TrainabilityFrame] = []
    var view = zoom.start
    let pixels = resolution * resolution
    for k in 0..<zoom.frames {
      let offset = k * pixels
      guard
        let frame = try frame(
          k, view: view, store: store, shared: shared, stop: stop,
          progress: { progress(offset + $0) }, log: log)
      else { return .interrupted(framesFinished: frames.count) }
      progress(offset + pixels)
      frames.append(frame)
      try writeNPY(
        frame.measures, shape: [resolution, resolution], to: "\(directory)/frame-\(k).npy")
      try Foundation.Data(TrainabilityColors.png(frame)).write(
        to: URL(fileURLWithPath: "\(directory)/frame-\(k).png"))
      try writeRunJSON(
        FrameSettings(
          setup: setup, view: frame.view, resolution: resolution, seconds: frame.seconds),
        to: "\(directory)/frame-\(k).json")
      let dim = frame.dimension
      log(
        String(
          format:
            "frame %d: centre (%.6f, %.6f), width %.3g: %.1f %% converged, D = %.3f ± %.3f, %.1f s",
          k, frame.view.centre.0, frame.view.centre.1, frame.view.width,
          100 * frame.convergedFraction, dim.dimension, dim.standardError, frame.seconds), false)
      if k + 1 < zoom.frames {
        guard let next = zoom.next(after: frame, number: k) else {
          log("frame \(k) has no boundary pixel: the zoom series stops here", true)
          break
        }
        view = next
      }
    }
    try writeRunJSON(FramesRecord(frames: frames), to: "\(directory)/frames.json")
    let pixelSteps = frames.reduce(0.0) {
      $0 + Double($1.resolution * $1.resolution * $1.setup.steps)
    }
    let seconds = frames.reduce(0.0) { $0 + $1.seconds }
    let report = TrainabilityReport(
      title: "Trainability boundary: \(setup.name)", frames: frames,
      provenance: String(
        format:
          "%d frame%@ of %d² pixels × %d steps in %.1f s (%.0f pixel-steps/s on %d thread%@).",
        frames.count, frames.count == 1 ? "" : "s", resolution, setup.steps, seconds,
        pixelSteps / max(seconds, 1e-9), threads, threads == 1 ? "" : "s"))
    try report.html().write(toFile: "\(directory)/report.html", atomically: true, encoding: .utf8)
    return .finished(
      Outcome(frames: frames, report: report, pixelSteps: pixelSteps, seconds: seconds))
  }

  /// problem/{x,y,w0,w1}.npy.
  func writeProblem() throws {
    try FileManager.default.createDirectory(
      atPath: "\(directory)/problem", withIntermediateDirectories: true)
    let problem = setup.problem
    let (d, n, count) = (problem.inputs, problem.width, problem.points)
    try writeNPY(problem.x, shape: [count, d], to: "\(directory)/problem/x.npy")
    try writeNPY(problem.y, shape: [count], to: "\(directory)/problem/y.npy")
    try writeNPY(problem.w0, shape: [d, n], to: "\(directory)/problem/w0.npy")
    try writeNPY(problem.w1, shape: [n], to: "\(directory)/problem/w1.npy")
  }

  /// The tile runs of frame k: rows `t·r/T ..< (t+1)·r/T` for tile t.
  func tileRuns(view: TrainabilityView) throws -> [PlannedRun] {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    return try (0..<tiles).map { t in
      let configuration = TrainabilityFrameConfiguration(
        setup: setup, view: view, resolution: resolution,
        rows: (t * resolution / tiles)..<((t + 1) * resolution / tiles))
      try configuration.validate()
      let json = String(decoding: try encoder.encode(configuration), as: UTF8.self)
      return PlannedRun(
        hash: recordHash(kind: TrainabilityFrameKind.name, configuration: json),
        configuration: json, assignments: ["tile": "\(t)"])
    }
  }

  /// Frame k through the store: its tiles registered, the unfinished ones worked on here (and
  /// by any other process on the same store), then merged; nil if interrupted. `shared`: the
  /// store is the user's, so this process's share of the tiles is a notice.
  func frame(
    _ k: Int, view: TrainabilityView, store: any ResultStore, shared: Bool, stop: StopFlag,
    progress: @escaping @Sendable (Int) -> Void, log: (String, Bool) -> Void
  ) throws -> TrainabilityFrame? {
    let planned = try tileRuns(view: view)
    let sweep = "\(storeName)/frame-\(k)"
    try store.register(
      sweep: sweep, specification: "crit run trainability",
      kind: TrainabilityFrameKind.name, runs: planned)
    func finished() throws -> [String: StoredRun] {
      Dictionary(
        try store.runs(sweep: sweep).filter { $0.status == .completed }.map { ($0.hash, $0) },
        uniquingKeysWith: { first, _ in first })
    }
    var tiles = try finished()
    let reused = planned.allSatisfy { tiles[$0.hash] != nil }
    let clock = ContinuousClock()
    let start = clock.now
    if reused {
      log("frame \(k): reused from an earlier run in \(directory)", false)
    } else {
      let pixelsDone = LockedBox(0)
      let computedHere = LockedBox(0)
      try SweepWorker.pool(store: store, sweep: sweep, jobs: threads, lease: lease, stop: stop) {
        _, outcome in
        computedHere.withLock { $0 += 1 }
        let pixels = Int(outcome.summary["pixels"] ?? 0)
        pixelsDone.withLock { done in
          done += pixels
          progress(done)
        }
      }
      if stop.isStopped { return nil }
      tiles = try finished()
      if shared {
        log(
          "frame \(k): this process computed \(computedHere.current) of \(self.tiles) tiles", true)
      }
    }
    var measures: [Double] = []
    var tileSeconds = 0.0
    for plan in planned {
      guard let tile = tiles[plan.hash], let detail = tile.detail else { return nil }
      measures += try JSONDecoder.forRuns.decode([Double].self, from: Foundation.Data(detail.utf8))
      tileSeconds += tile.seconds ?? 0
    }
    guard measures.count == resolution * resolution else { return nil }
    // Seconds: the wall clock of this computation; for a reused frame, the seconds its files
    // recorded, else the tiles' single-thread seconds shared over this run's threads.
    var seconds = (clock.now - start).inSeconds
    if reused {
      let settings = try? JSONDecoder.forRuns.decode(
        FrameSettings.self,
        from: Foundation.Data(contentsOf: URL(fileURLWithPath: "\(directory)/frame-\(k).json")))
      seconds =
        settings.flatMap {
          $0.setup == setup && $0.view == view && $0.resolution == resolution ? $0.seconds : nil
        } ?? tileSeconds / Double(max(threads, 1))
    }
    return TrainabilityFrame(
      setup: setup, view: view, resolution: resolution, measures: measures, seconds: seconds)
  }
}

/// Writes a value as the runs' JSON (``JSONEncoder/forRuns``: NaN and infinities as strings).
public func writeRunJSON<T: Encodable>(_ value: T, to path: String) throws {
  try JSONEncoder.forRuns.encode(value).write(to: URL(fileURLWithPath: path), options: .atomic)
}

/// frame-k.json: what frame k was computed with, so that a rerun of the same series reuses it.
public struct FrameSettings: Codable, Sendable {
  public var setup: TrainabilitySetup
  public var view: TrainabilityView
  public var resolution: Int
  public var seconds: Double
}

/// frames.json: every frame's window, time, class balance and boundary dimension (the
/// measures themselves are in frame-k.npy).
public struct FramesRecord: Encodable, Sendable {
  public struct Frame: Encodable, Sendable {
    var view: TrainabilityView
    var resolution: Int
    var seconds: Double
    var convergedFraction: Double
    var boundaryPixels: Int
    var dimension: BoxCountingDimensionRecord
  }
  public struct BoxCountingDimensionRecord: Encodable, Sendable {
    var dimension: Double
    var standardError: Double
    var sizes: [Int]
    var counts: [Int]
  }
  var setup: TrainabilitySetup?
  var frames: [Frame]
  var medianDimension: Double?

  public init(frames: [TrainabilityFrame]) {
    setup = frames.first?.setup
    self.frames = frames.map { f in
      let d = f.dimension
      return Frame(
        view: f.view, resolution: f.resolution, seconds: f.seconds,
        convergedFraction: f.convergedFraction, boundaryPixels: f.boundary.filter { $0 }.count,
        dimension: BoxCountingDimensionRecord(
          dimension: d.dimension, standardError: d.standardError, sizes: d.sizes, counts: d.counts))
    }
    medianDimension =
      TrainabilityReport(title: "", frames: frames, provenance: "").medianDimension
  }
}

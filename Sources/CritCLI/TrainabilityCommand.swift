import ArgumentParser
import Data
import Experiments
import Foundation
import NN
import Report
import Runner
import Statistics
import Sweeps

/// `crit run trainability`: SPEC §7 protocol 4, the fractal boundary of trainability
/// (Sohl-Dickstein 2024): an image of which hyperparameters train, a zoom series toward a
/// boundary point, and the boundary's box-counting dimension per frame.
struct TrainabilityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trainability",
    abstract:
      "Images of the trainability boundary (converged vs diverged per learning-rate pair) with a zoom series and boundary dimensions; writes runs/<name>/report.html.",
    discussion: """
      Each pixel trains the 16-wide one-hidden-layer network of the paper (d = 16, N = 272, \
      W₀, W₁, X, Y ~ N(0, 1) from --seed) by gradient descent at its own learning rates, \
      batched eight pixels per vector pass on every thread. Writes, per frame k, \
      frame-k.npy (r × r float64 measures, row 0 = smallest v), frame-k.png, and \
      frames.json; problem/{x,y,w0,w1}.npy hold the network and data. With --store, the \
      frames are split into --tiles tiles that any number of processes running the same \
      command share (resumable; the merged frame is bit-identical to a one-process frame).
      """)

  @Option(help: "Nonlinearity: tanh, relu or identity.")
  var activation: Activation = .tanh

  @Option(help: "Variant: full-batch, single-point, minibatch or offset (W₀ offset × η).")
  var variant: TrainabilityVariant = .fullBatch

  @Option(
    help:
      "Centre of the first view, 'U,V' (decades: log₁₀ η₀,log₁₀ η₁; for offset log₁₀ c,log₁₀ η).")
  var centre: String?

  @Option(help: "Width of the first (square) view in decades (default 9).")
  var width: Double?

  @Option(help: "Explicit first view 'U0:U1,V0:V1' (instead of --centre/--width).")
  var view: String?

  @Option(help: "Pixels per side of every frame.")
  var resolution = 256

  @Option(help: "Gradient-descent steps per pixel.")
  var steps = 1000

  @Option(help: "Last normalised losses averaged by the measure.")
  var window = 20

  @Option(help: "Seed of the network and the data.")
  var seed: UInt64 = 0

  @Option(
    help: """
      Networks (seeds --seed, --seed + 1, …), each with its own zoom series; prints each one's \
      median boundary dimension and their mean with a 95 % confidence interval (seeds.json).
      """)
  var seeds = 1

  @Option(help: "Minibatch size of the minibatch variant.")
  var minibatch = 16

  @Option(
    help:
      "Spectral control of W₀: none, penalty:STRENGTH:TARGET (λ(σ_max − τ)² added to the loss) or norm:TARGET (the network uses τ·W₀/σ_max)."
  )
  var spectral = "none"

  @Option(help: "Arithmetic: float64 (the reference experiment) or float32.")
  var precision: TrainabilityPrecision = .float64

  @Option(help: "Frames of the zoom series, the first view included (1 = no zoom).")
  var zoom = 1

  @Option(help: "Width of the last zoom frame in decades.")
  var zoomTo = 1e-3

  @Option(
    help:
      "Next zoom centre: nearest (the boundary pixel nearest the frame's centre) or balanced (the boundary pixel near the centre with the most even mix of classes around it)."
  )
  var zoomTarget: TrainabilityZoomTarget = .nearest

  @Option(help: "Results store URL for tiled, shared frames (sqlite:PATH or postgres://…).")
  var store: String?

  @Option(help: "Tiles per frame when --store is given (default: 16, or --resolution if smaller).")
  var tiles: Int?

  /// The tile count in force: as given, else 16 capped at the resolution.
  var tileCount: Int { tiles ?? min(16, resolution) }

  @Option(help: "Seconds a claimed tile stays reserved.")
  var lease = 3600.0

  @Option(help: "Threads (default: every core).")
  var threads = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Parent directory of the run's directory.")
  var runs = "runs"

  @Option(help: "Name of the run's directory (default from the settings).")
  var name: String?

  @Flag(help: "No progress bar.")
  var quiet = false

  func validate() throws {
    guard (2...4096).contains(resolution) else {
      throw ValidationError("--resolution: must be in 2…4096, got \(resolution)")
    }
    try checkCount(steps, "--steps", 1...OptionLimits.steps)
    guard (1...BatchedTrainability.largestWindow).contains(window), window <= steps else {
      throw ValidationError(
        "--window: must be in 1…min(\(BatchedTrainability.largestWindow), --steps), got \(window)")
    }
    guard [.tanh, .relu, .identity].contains(activation) else {
      throw ValidationError(
        "--activation: must be tanh, relu or identity, got \(activation.rawValue)")
    }
    guard (1...272).contains(minibatch) else {
      throw ValidationError("--minibatch: must be in 1…272 (the training points), got \(minibatch)")
    }
    try checkCount(zoom, "--zoom", 1...1000)
    try checkCount(seeds, "--seeds", 1...OptionLimits.seeds)
    if seeds > 1 && store != nil {
      throw ValidationError(
        "--seeds: several seeds share no store; run one seed per --store command")
    }
    guard zoomTo > 0, zoomTo.isFinite else {
      throw ValidationError("--zoom-to: must be a positive width in decades, got \(zoomTo)")
    }
    try checkCount(threads, "--threads", 1...OptionLimits.threads)
    guard threads >= 1 else {
      throw ValidationError("--threads: must be at least 1, got \(threads)")
    }
    if let tiles, tiles < 1 || tiles > resolution {
      throw ValidationError("--tiles: must be in 1…--resolution (\(resolution)), got \(tiles)")
    }
    guard lease > 0 else { throw ValidationError("--lease: must be positive, got \(lease)") }
    if view != nil && (centre != nil || width != nil) {
      throw ValidationError("--view: give either --view or --centre/--width, not both")
    }
    _ = try setup()
    _ = try firstView()
  }

  func setup() throws -> TrainabilitySetup {
    TrainabilitySetup(
      activation: activation, variant: variant, steps: steps, window: window, seed: seed,
      minibatch: minibatch, spectral: try parseSpectral(spectral), precision: precision)
  }

  func firstView() throws -> TrainabilityView {
    if let view {
      let parts = view.split(separator: ",").map { $0.split(separator: ":").map { Double($0) } }
      guard parts.count == 2,
        parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0?.isFinite == true } })
      else {
        throw ValidationError("--view: expected 'U0:U1,V0:V1' with finite numbers, got '\(view)'")
      }
      let (u0, u1, v0, v1) = (parts[0][0]!, parts[0][1]!, parts[1][0]!, parts[1][1]!)
      guard u0 < u1, v0 < v1 else {
        throw ValidationError(
          "--view: each range must be increasing (U0 < U1, V0 < V1), got '\(view)'")
      }
      return TrainabilityView(u: (u0, u1), v: (v0, v1))
    }
    var c = (1.5, 1.5)
    if let centre {
      let values = centre.split(separator: ",").map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard values.count == 2, let u = values[0], let v = values[1], u.isFinite, v.isFinite else {
        throw ValidationError("--centre: expected 'U,V' with finite numbers, got '\(centre)'")
      }
      c = (u, v)
    }
    let w = width ?? 9
    guard w > 0, w.isFinite else { throw ValidationError("--width: must be positive, got \(w)") }
    return TrainabilityView(centre: c, width: w)
  }

  var runName: String {
    get throws {
      if let name { return name }
      var parts = ["trainability", try setup().name, "r\(resolution)", "t\(steps)"]
      if zoom > 1 { parts.append("zoom\(zoom)") }
      if zoomTarget != .nearest { parts.append(zoomTarget.rawValue) }
      if seed != 0 { parts.append("seed\(seed)") }
      if seeds > 1 { parts.append("seeds\(seeds)") }
      if view != nil || centre != nil || width != nil {
        let v = try firstView()
        parts.append(String(format: "at%.4g,%.4g,w%.3g", v.centre.0, v.centre.1, v.width))
      }
      return parts.joined(separator: "-")
    }
  }

  func run() throws {
    if let name { try OutputPath.checkName(name, option: "--name") }
    try OutputPath.checkDirectory("\(runs)/\(try runName)", option: "--runs")
    if seeds > 1 { try runSeeds() } else { _ = try runOne() }
  }

  /// One network per seed, each a whole run (zoom series and report) in `seed-S/` of this
  /// run's directory; then the seeds' median boundary dimensions, their mean with a Student-t
  /// 95 % interval, and seeds.json.
  func runSeeds() throws {
    let directory = "\(runs)/\(try runName)"
    var rows: [SeedsRecord.Seed] = []
    for s in seed..<(seed + UInt64(seeds)) {
      var one = self
      one.seeds = 1
      one.seed = s
      one.runs = directory
      one.name = "seed-\(s)"
      if !quiet { print("seed \(s):") }
      rows.append(SeedsRecord.Seed(seed: s, medianDimension: try one.runOne()))
    }
    let record = SeedsRecord(seeds: rows)
    try writeJSON(record, to: "\(directory)/seeds.json")
    var table = rows.map { row in
      ["\(row.seed)", row.medianDimension.map { String(format: "%.3f", $0) } ?? "–"]
    }
    let mean = record.meanMedianDimension
    table.append([
      "mean",
      String(format: "%.3f ± %.3f (95 %% CI, n = %d)", mean.mean, mean.halfWidth, mean.count),
    ])
    print(renderTable(header: ["seed", "median boundary D"], rows: table))
    print("per-seed reports: \(directory)/seed-*/report.html; summary: \(directory)/seeds.json")
  }

  /// One network's run; returns its median boundary dimension over the zoom series.
  func runOne() throws -> Double? {
    let setup = try setup()
    let directory = "\(runs)/\(try runName)"
    try FileManager.default.createDirectory(
      atPath: "\(directory)/problem", withIntermediateDirectories: true)
    let problem = setup.problem
    let (d, n, count) = (problem.inputs, problem.width, problem.points)
    try writeNPY(problem.x, shape: [count, d], to: "\(directory)/problem/x.npy")
    try writeNPY(problem.y, shape: [count], to: "\(directory)/problem/y.npy")
    try writeNPY(problem.w0, shape: [d, n], to: "\(directory)/problem/w0.npy")
    try writeNPY(problem.w1, shape: [n], to: "\(directory)/problem/w1.npy")
    let tileStore = try store.map(openTileStore)
    let stop = StopFlag()
    let interrupt = installInterruptHandler(stop)
    defer { interrupt.cancel() }
    let zoomPlan = TrainabilityZoom(
      start: try firstView(), finalWidth: zoomTo, frames: zoom, target: zoomTarget)
    var frames: [TrainabilityFrame] = []
    var view = zoomPlan.start
    for k in 0..<zoom {
      let frame = try computeFrame(k, view: view, setup: setup, store: tileStore, stop: stop)
      guard let frame else {
        throw InterruptedDemo(finished: frames.count, total: zoom, directory: directory)
      }
      frames.append(frame)
      try writeNPY(
        frame.measures, shape: [resolution, resolution], to: "\(directory)/frame-\(k).npy")
      try Data(TrainabilityColors.png(frame)).write(
        to: URL(fileURLWithPath: "\(directory)/frame-\(k).png"))
      try writeJSON(
        FrameSettings(
          setup: setup, view: frame.view, resolution: resolution, seconds: frame.seconds),
        to: "\(directory)/frame-\(k).json")
      let dim = frame.dimension
      if !quiet {
        print(
          String(
            format:
              "frame %d: centre (%.6f, %.6f), width %.3g: %.1f %% converged, D = %.3f ± %.3f, %.1f s",
            k, frame.view.centre.0, frame.view.centre.1, frame.view.width,
            100 * frame.convergedFraction, dim.dimension, dim.standardError, frame.seconds))
      }
      if k + 1 < zoom {
        guard let next = zoomPlan.next(after: frame, number: k) else {
          print("frame \(k) has no boundary pixel: the zoom series stops here")
          break
        }
        view = next
      }
    }
    try writeJSON(FramesRecord(frames: frames), to: "\(directory)/frames.json")
    let pixelSteps = frames.reduce(0.0) {
      $0 + Double($1.resolution * $1.resolution * $1.setup.steps)
    }
    let seconds = frames.reduce(0.0) { $0 + $1.seconds }
    let report = TrainabilityReport(
      title: "Trainability boundary: \(setup.name)", frames: frames,
      provenance: String(
        format:
          "%d frame%@ of %d² pixels × %d steps in %.1f s (%.0f pixel-steps/s on %d thread%@).",
        frames.count, frames.count == 1 ? "" : "s", resolution, steps, seconds,
        pixelSteps / max(seconds, 1e-9), threads, threads == 1 ? "" : "s"))
    try report.html().write(toFile: "\(directory)/report.html", atomically: true, encoding: .utf8)
    var rows = frames.enumerated().map { k, f -> [String] in
      let dim = f.dimension
      return [
        "\(k)", String(format: "%.3g", f.view.width),
        String(format: "%.1f %%", 100 * f.convergedFraction),
        String(format: "%.3f ± %.3f", dim.dimension, dim.standardError),
      ]
    }
    if let median = report.medianDimension {
      rows.append(["median", "", "", String(format: "%.3f", median)])
    }
    print(renderTable(header: ["frame", "width", "converged", "boundary D ± SE"], rows: rows))
    print(
      String(
        format: "%.0f pixel-steps/s; report: %@/report.html", pixelSteps / max(seconds, 1e-9),
        directory))
    return report.medianDimension
  }

  /// Frame k: from the run directory if an earlier run made it with the same settings
  /// (`frame-k.json` and `frame-k.npy`), else computed here (or through the store's tiles);
  /// nil if interrupted.
  func computeFrame(
    _ k: Int, view: TrainabilityView, setup: TrainabilitySetup, store: (any TileStore)?,
    stop: StopFlag
  ) throws -> TrainabilityFrame? {
    let pixels = resolution * resolution
    let directory = "\(runs)/\(try runName)"
    if let stored = try? JSONDecoder.forRuns.decode(
      FrameSettings.self,
      from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/frame-\(k).json"))),
      stored.setup == setup, stored.view == view, stored.resolution == resolution,
      let values = try? NPYArray.read(path: "\(directory)/frame-\(k).npy").values,
      values.count == pixels
    {
      if !quiet { print("frame \(k): reused from an earlier run in \(directory)") }
      return TrainabilityFrame(
        setup: setup, view: view, resolution: resolution, measures: values,
        seconds: stored.seconds)
    }
    let bar = LockedProgress(total: pixels, unit: "pixel", enabled: !quiet)
    defer { bar.finish() }
    let clock = ContinuousClock()
    let start = clock.now
    let measures: [Double]?
    if let store {
      let tiled = TiledTrainabilityFrame(
        setup: setup, view: view, resolution: resolution, tiles: tileCount,
        name: "\(try runName)/frame-\(k)")
      let outcome = try tiled.work(
        store: store, worker: workerIdentifier("trainability"), lease: lease, threads: threads,
        stop: stop, progress: { bar.update($0) })
      measures = outcome?.measures
      if let outcome {
        print("frame \(k): this process computed \(outcome.tilesComputed) of \(tileCount) tiles")
      }
    } else {
      measures = TrainabilityFrame.compute(
        setup, view: view, resolution: resolution, threads: threads,
        stop: { stop.isStopped }, progress: { bar.update($0) })
    }
    guard let measures, !stop.isStopped else { return nil }
    return TrainabilityFrame(
      setup: setup, view: view, resolution: resolution, measures: measures,
      seconds: (clock.now - start).inSeconds)
  }
}

/// frame-k.json: what frame k was computed with, so that a rerun of the same command reuses
/// it (a zoom series resumes at its first missing frame).
struct FrameSettings: Codable {
  var setup: TrainabilitySetup
  var view: TrainabilityView
  var resolution: Int
  var seconds: Double
}

/// frames.json: every frame's window, time, class balance and boundary dimension (the
/// measures themselves are in frame-k.npy).
struct FramesRecord: Encodable {
  struct Frame: Encodable {
    var view: TrainabilityView
    var resolution: Int
    var seconds: Double
    var convergedFraction: Double
    var boundaryPixels: Int
    var dimension: BoxCountingDimensionRecord
  }
  struct BoxCountingDimensionRecord: Encodable {
    var dimension: Double
    var standardError: Double
    var sizes: [Int]
    var counts: [Int]
  }
  var setup: TrainabilitySetup?
  var frames: [Frame]
  var medianDimension: Double?

  init(frames: [TrainabilityFrame]) {
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

/// seeds.json: each network's median boundary dimension over its zoom series, and their mean
/// with a Student-t 95 % confidence interval (`x̄ ± t₀.₉₇₅,ₙ₋₁·s/√n`; seeds without a boundary
/// are left out).
struct SeedsRecord: Encodable {
  struct Seed: Encodable {
    var seed: UInt64
    var medianDimension: Double?
  }
  var seeds: [Seed]
  var meanMedianDimension: MeanInterval

  init(seeds: [Seed]) {
    self.seeds = seeds
    meanMedianDimension = MeanInterval(seeds.compactMap(\.medianDimension))
  }
}

/// Parses `none`, `penalty:STRENGTH:TARGET` or `norm:TARGET`.
func parseSpectral(_ text: String) throws -> TrainabilitySpectralControl {
  let parts = text.split(separator: ":").map(String.init)
  let numbers = parts.dropFirst().map { Double($0) }
  let allowed = "none, penalty:STRENGTH:TARGET or norm:TARGET (positive numbers)"
  switch parts.first {
  case "none" where parts.count == 1: return .none
  case "penalty" where numbers.count == 2:
    guard let s = numbers[0], let t = numbers[1], s > 0, t > 0, s.isFinite, t.isFinite else {
      break
    }
    return .penalty(strength: s, target: t)
  case "norm" where numbers.count == 1:
    guard let t = numbers[0], t > 0, t.isFinite else { break }
    return .normalization(target: t)
  default: break
  }
  throw ValidationError("--spectral: expected \(allowed), got '\(text)'")
}

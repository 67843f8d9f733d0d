import ArgumentParser
import Experiments
import Foundation
import Sweeps

/// The settings of `crit run trainability` (and their checks): the network and its training,
/// the first view and the zoom, the spectral conditions, seeds, store and output.
struct TrainabilityOptions: ParsableArguments {
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
    help: """
      Spectral control of W₀: none, penalty:STRENGTH:TARGET (λ(σ_max − τ)² added to the loss) \
      or norm:TARGET (the network uses τ·W₀/σ_max). Several, comma-separated, run every seed \
      under each and compare them (paired by seed, Holm, Hedges' g; comparison.html).
      """)
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

  @Option(
    help:
      "Results store URL shared with other processes running the same series (sqlite:PATH or postgres://…; default: store.sqlite in the run's directory)."
  )
  var store: String?

  @Option(
    help: "Tiles (runs of rows) per frame in the store (default: 16, or --resolution if smaller).")
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
    let conditionCount = try conditions().count
    if (seeds > 1 || conditionCount > 1) && store != nil {
      throw ValidationError(
        "--seeds: several seeds or conditions share no store; run one seed per --store command")
    }
    guard zoomTo > 0, zoomTo.isFinite else {
      throw ValidationError("--zoom-to: must be a positive width in decades, got \(zoomTo)")
    }
    try checkCount(threads, "--threads", 1...OptionLimits.threads)
    if let tiles, tiles < 1 || tiles > resolution {
      throw ValidationError("--tiles: must be in 1…--resolution (\(resolution)), got \(tiles)")
    }
    // A tile is one run in the store, which holds at most 2²⁰ pixels.
    let rowsPerTile = (resolution + tileCount - 1) / tileCount
    if rowsPerTile * resolution > TrainabilityFrameConfiguration.maximumPixels {
      let least =
        (resolution * resolution + TrainabilityFrameConfiguration.maximumPixels - 1)
        / TrainabilityFrameConfiguration.maximumPixels
      throw ValidationError(
        "--tiles: a tile holds at most \(TrainabilityFrameConfiguration.maximumPixels) pixels; --resolution \(resolution) needs at least \(least) tiles, got \(tileCount)"
      )
    }
    guard lease > 0 else { throw ValidationError("--lease: must be positive, got \(lease)") }
    _ = try firstView()
  }

  /// The spectral conditions, in the order given (distinct).
  func conditions() throws -> [TrainabilitySpectralControl] {
    let controls = try spectral.split(separator: ",", omittingEmptySubsequences: false).map {
      text in try translating { try TrainabilitySpectralControl(parsing: String(text)) }
    }
    guard Set(controls.map(\.label)).count == controls.count else {
      throw ValidationError("--spectral: each condition once, got '\(spectral)'")
    }
    return controls
  }

  func setup(_ spectral: TrainabilitySpectralControl, seed: UInt64) -> TrainabilitySetup {
    TrainabilitySetup(
      activation: activation, variant: variant, steps: steps, window: window, seed: seed,
      minibatch: minibatch, spectral: spectral, precision: precision)
  }

  func firstView() throws -> TrainabilityView {
    try translating { try TrainabilityView.first(ranges: view, centre: centre, width: width) }
  }

  /// A library setting error as the option it came from (`centre` → `--centre`).
  func translating<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as TrainabilitySettingError {
      throw ValidationError("--\(error.key): \(error.message)")
    }
  }

  var runName: String {
    get throws {
      if let name { return name }
      let controls = try conditions()
      var parts = ["trainability", setup(controls.count > 1 ? .none : controls[0], seed: 0).name]
      if controls.count > 1 { parts.append("compare") }
      parts += ["r\(resolution)", "t\(steps)"]
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

}

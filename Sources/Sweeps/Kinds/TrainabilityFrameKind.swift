import Experiments
import Foundation
import NN
import Trainability

/// One trainability image as a run: a two-layer network trained from every pixel's
/// hyperparameters over a window of the plane (``TrainabilityFrame``), at a resolution.
public struct TrainabilityFrameConfiguration: Codable, Sendable, Equatable, SeededConfiguration {
  public var activation: Activation
  public var variant: TrainabilityVariant
  public var steps: Int
  public var window: Int
  /// Seed of the network, the data and the minibatch schedule.
  public var seed: UInt64
  public var minibatch: Int
  public var spectral: TrainabilitySpectralControl
  public var precision: TrainabilityPrecision
  public var view: TrainabilityView
  /// Pixels per side.
  public var resolution: Int
  /// A tile: only rows `rows[0] ..< rows[1]` (row 0 = smallest v); `nil`: the whole frame.
  public var rows: [Int]?

  public init(
    setup: TrainabilitySetup = TrainabilitySetup(steps: 200), view: TrainabilityView = .wide,
    resolution: Int = 32, rows: Range<Int>? = nil
  ) {
    activation = setup.activation
    variant = setup.variant
    steps = setup.steps
    window = setup.window
    seed = setup.seed
    minibatch = setup.minibatch
    spectral = setup.spectral
    precision = setup.precision
    self.view = view
    self.resolution = resolution
    self.rows = rows.map { [$0.lowerBound, $0.upperBound] }
  }

  /// The rows computed: the tile's, or every row.
  public var rowRange: Range<Int> {
    guard let rows, rows.count == 2 else { return 0..<resolution }
    return rows[0]..<rows[1]
  }

  public var setup: TrainabilitySetup {
    TrainabilitySetup(
      activation: activation, variant: variant, steps: steps, window: window, seed: seed,
      minibatch: minibatch, spectral: spectral, precision: precision)
  }

  /// The most pixels one run (a frame or a tile) may hold.
  public static let maximumPixels = 1 << 20

  /// Checks every value; the error names the key and what is allowed.
  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError {
      ConfigurationError(key: key, message: message)
    }
    guard [.tanh, .relu, .identity].contains(activation) else {
      throw fail("activation", "must be tanh, relu or identity, got \(activation.rawValue)")
    }
    guard (1...100_000_000).contains(steps) else {
      throw fail("steps", "must be in 1…100000000, got \(steps)")
    }
    guard (1...BatchedTrainability.largestWindow).contains(window), window <= steps else {
      throw fail(
        "window", "must be in 1…min(\(BatchedTrainability.largestWindow), steps), got \(window)")
    }
    guard (1...272).contains(minibatch) else {
      throw fail("minibatch", "must be in 1…272 (the training points), got \(minibatch)")
    }
    guard (2...4096).contains(resolution) else {
      throw fail("resolution", "must be in 2…4096, got \(resolution)")
    }
    if let rows {
      guard rows.count == 2, rows[0] >= 0, rows[0] < rows[1], rows[1] <= resolution else {
        throw fail("rows", "must be [first, end] with 0 ≤ first < end ≤ resolution, got \(rows)")
      }
    }
    // A record holds its pixels as JSON (about 20 bytes each): at most 2²⁰ per run.
    let pixels = rowRange.count * resolution
    guard pixels <= Self.maximumPixels else {
      throw fail(
        rows == nil ? "resolution" : "rows",
        "one run holds at most \(Self.maximumPixels) pixels (1024²), got \(pixels); split the frame into tiles (rows), as crit run trainability does"
      )
    }
    guard [view.uLower, view.uUpper, view.vLower, view.vUpper].allSatisfy(\.isFinite),
      view.uLower < view.uUpper, view.vLower < view.vUpper
    else {
      throw fail("view", "needs finite bounds with uLower < uUpper and vLower < vUpper")
    }
    switch spectral {
    case .none: break
    case .penalty(let strength, let target):
      guard strength > 0, target > 0 else {
        throw fail("spectral.penalty", "strength and target must be positive")
      }
    case .normalization(let target):
      guard target > 0 else { throw fail("spectral.normalization.target", "must be positive") }
    }
  }
}

/// Trainability images as runs of a sweep: every pixel of an r × r window of the plane of
/// learning rates (or initial offset and learning rate) trained by ``BatchedTrainability``
/// on one thread. The summary holds the converged fraction and the boundary's box-counting
/// dimension with its standard error; the detail holds the per-pixel measures (row-major,
/// from the bottom row), so the image itself is kept in the store.
///
/// A run may be one tile of a frame (`rows`): its detail is then the tile's measures alone
/// (a JSON list), its summary the pixel count, and the frame is the tiles merged in row order
/// (``TrainabilitySeries`` shares a frame's tiles between processes this way).
public enum TrainabilityFrameKind: ExperimentKind {
  public static let name = "trainability-frame"
  public static let about = "one trainability image over a window of hyperparameters"
  public static var defaults: TrainabilityFrameConfiguration { TrainabilityFrameConfiguration() }
  public static var complete: TrainabilityFrameConfiguration {
    TrainabilityFrameConfiguration(rows: 0..<1)
  }

  public static var choices: [String: [String]] {
    [
      "activation": ["tanh", "relu", "identity"],
      "variant": TrainabilityVariant.allCases.map(\.rawValue),
      "precision": TrainabilityPrecision.allCases.map(\.rawValue),
    ]
  }

  public static var alternatives: [String: [any Encodable]] {
    [
      "spectral": [
        TrainabilitySpectralControl.none,
        TrainabilitySpectralControl.penalty(
          strength: 0.5, target: 0.5), TrainabilitySpectralControl.normalization(target: 0.5),
      ]
    ]
  }

  public static func validate(_ configuration: TrainabilityFrameConfiguration) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: TrainabilityFrameConfiguration, context: RunContext)
    throws -> RunOutcome?
  {
    let start = Date()
    let heartbeat = context.heartbeat
    guard
      let measures = TrainabilityFrame.compute(
        configuration.setup, view: configuration.view, resolution: configuration.resolution,
        threads: 1, rows: configuration.rowRange, stop: context.shouldStop,
        progress: { _ in heartbeat() })
    else { return nil }
    let seconds = Date().timeIntervalSince(start)
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    if configuration.rows != nil {
      return RunOutcome(
        end: .completed, summary: ["pixels": Double(measures.count)],
        detail: String(decoding: try encoder.encode(measures), as: UTF8.self), seconds: seconds)
    }
    let frame = TrainabilityFrame(
      setup: configuration.setup, view: configuration.view,
      resolution: configuration.resolution, measures: measures, seconds: seconds)
    let dimension = frame.dimension
    let detail = try encoder.encode(frame)
    return RunOutcome(
      end: .completed,
      summary: [
        "convergedFraction": frame.convergedFraction,
        "boundaryPixels": Double(frame.boundary.filter { $0 }.count),
        "boundaryDimension": dimension.dimension,
        "boundaryDimensionError": dimension.standardError,
      ], detail: String(decoding: detail, as: UTF8.self), seconds: seconds)
  }

  public static let reportColumns = [
    ReportColumn(
      "convergedFraction", title: "converged (%)", format: "%.1f", higherIsBetter: true,
      scale: 100),
    ReportColumn(
      "boundaryDimension", title: "boundary dimension", format: "%.3f", higherIsBetter: true),
  ]
}

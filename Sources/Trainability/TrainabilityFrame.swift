import Dispatch
import Foundation
import Indicators
import NN
import Runner

/// A rectangular window of a trainability plane: log₁₀ of the horizontal hyperparameter from
/// `u.lower` to `u.upper` and of the vertical one from `v.lower` to `v.upper` (decades).
public struct TrainabilityView: Codable, Sendable, Equatable {
  public var uLower: Double
  public var uUpper: Double
  public var vLower: Double
  public var vUpper: Double

  public init(u: (Double, Double), v: (Double, Double)) {
    (uLower, uUpper, vLower, vUpper) = (u.0, u.1, v.0, v.1)
  }

  /// The square window of side `width` decades centred at `centre`.
  public init(centre: (Double, Double), width: Double) {
    self.init(
      u: (centre.0 - width / 2, centre.0 + width / 2),
      v: (centre.1 - width / 2, centre.1 + width / 2))
  }

  /// The paper's wide view, [−3, 6]².
  public static let wide = TrainabilityView(u: (-3, 6), v: (-3, 6))

  public var width: Double { uUpper - uLower }
  public var height: Double { vUpper - vLower }
  public var centre: (Double, Double) { ((uLower + uUpper) / 2, (vLower + vUpper) / 2) }

  /// The coordinates of the centre of pixel (row, column) of an r × r grid; row 0 is the
  /// bottom (smallest v), column 0 the left (smallest u).
  public func coordinates(row: Int, column: Int, resolution r: Int) -> (u: Double, v: Double) {
    (
      uLower + width * (Double(column) + 0.5) / Double(r),
      vLower + height * (Double(row) + 0.5) / Double(r)
    )
  }
}

/// The variants of the trainability experiment (Sohl-Dickstein 2024, after the author's
/// notebook): the reference full-batch problem; a single training point; minibatches of 16
/// points; and the initialisation offset against one learning rate for both layers.
public enum TrainabilityVariant: String, Codable, CaseIterable, Sendable {
  /// Axes log₁₀ η₀ × log₁₀ η₁, all N = 272 points every step.
  case fullBatch = "full-batch"
  /// Axes log₁₀ η₀ × log₁₀ η₁, one training point (N = 1).
  case singlePoint = "single-point"
  /// Axes log₁₀ η₀ × log₁₀ η₁, gradient steps on minibatches (see
  /// ``minibatchSchedule(points:batch:steps:seed:)``); the recorded loss is the full loss.
  case minibatch
  /// Axes: horizontal log₁₀ c, the offset added to every weight of W₀ at the start and after
  /// every update (the reference notebook's `paraminit_vs_lr`), vertical log₁₀ η, one learning
  /// rate for both layers.
  case offset
}

/// Everything that fixes a trainability image except its window and resolution.
public struct TrainabilitySetup: Codable, Sendable, Equatable {
  public var activation: Activation
  public var variant: TrainabilityVariant
  public var steps: Int
  /// Losses averaged by the measure.
  public var window: Int
  /// Seed of the network and data (and of the minibatch schedule).
  public var seed: UInt64
  public var minibatch: Int
  public var spectral: TrainabilitySpectralControl
  public var precision: TrainabilityPrecision

  public init(
    activation: Activation = .tanh, variant: TrainabilityVariant = .fullBatch, steps: Int = 1000,
    window: Int = 20, seed: UInt64 = 0, minibatch: Int = 16,
    spectral: TrainabilitySpectralControl = .none, precision: TrainabilityPrecision = .float64
  ) {
    self.precision = precision
    self.activation = activation
    self.variant = variant
    self.steps = steps
    self.window = window
    self.seed = seed
    self.minibatch = minibatch
    self.spectral = spectral
  }

  public var problem: TrainabilityProblem {
    // One point for the single-point variant; as many points as hidden units for the linear
    // network (the reference notebook's choice); otherwise as many as parameters (272).
    TrainabilityProblem(
      points: variant == .singlePoint ? 1 : (activation == .identity ? 16 : nil),
      activation: activation, seed: seed)
  }

  public var trainer: BatchedTrainability {
    BatchedTrainability(
      problem: problem, steps: steps, window: window,
      minibatch: variant == .minibatch ? minibatch : nil, minibatchSeed: seed &+ 1,
      spectral: spectral, precision: precision)
  }

  /// The member at plane coordinates (u, v).
  public func member(u: Double, v: Double) -> TrainabilityMember {
    switch variant {
    case .offset:
      let eta = Foundation.pow(10, v)
      return TrainabilityMember(eta0: eta, eta1: eta, offset: Foundation.pow(10, u))
    default:
      return TrainabilityMember(eta0: Foundation.pow(10, u), eta1: Foundation.pow(10, v))
    }
  }

  /// Axis labels (horizontal, vertical).
  public var axes: (String, String) {
    variant == .offset ? ("log₁₀ offset of W₀", "log₁₀ η") : ("log₁₀ η₀", "log₁₀ η₁")
  }

  /// A short name for file and report titles, e.g. `tanh-full-batch` or `relu-minibatch-sn1`.
  public var name: String {
    var parts = [activation.rawValue, variant.rawValue]
    switch spectral {
    case .none: break
    case .penalty(let strength, let target): parts.append("penalty\(strength)-\(target)")
    case .normalization(let target): parts.append("sn\(target)")
    }
    if precision == .float32 { parts.append("f32") }
    return parts.joined(separator: "-")
  }
}

/// The rows `range` of an r × r frame's pixels, row-major, as members.
public func trainabilityMembers(
  _ setup: TrainabilitySetup, view: TrainabilityView, resolution r: Int, rows: Range<Int>
) -> [TrainabilityMember] {
  rows.flatMap { row in
    (0..<r).map { column in
      let (u, v) = view.coordinates(row: row, column: column, resolution: r)
      return setup.member(u: u, v: v)
    }
  }
}

/// One trainability image: the per-pixel measures of an r × r grid over a view, row-major
/// from the bottom row, and what follows from them.
public struct TrainabilityFrame: Codable, Sendable, Equatable {
  public var setup: TrainabilitySetup
  public var view: TrainabilityView
  public var resolution: Int
  public var measures: [Double]
  /// Seconds the frame took to train.
  public var seconds: Double

  public init(
    setup: TrainabilitySetup, view: TrainabilityView, resolution: Int, measures: [Double],
    seconds: Double = 0
  ) {
    self.setup = setup
    self.view = view
    self.resolution = resolution
    self.measures = measures
    self.seconds = seconds
  }

  /// Trains every pixel (rows `rows`, all of them by default) on `threads` threads; nil if
  /// `stop` turned true first.
  public static func compute(
    _ setup: TrainabilitySetup, view: TrainabilityView, resolution: Int, threads: Int,
    rows: Range<Int>? = nil, stop: @escaping @Sendable () -> Bool = { false },
    progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) -> [Double]? {
    let members = trainabilityMembers(
      setup, view: view, resolution: resolution, rows: rows ?? 0..<resolution)
    return setup.trainer.measures(members, threads: threads, stop: stop, progress: progress)
  }

  public var converged: [Bool] { measures.map(TrainabilityMeasure.converged) }
  public var convergedFraction: Double {
    Double(converged.filter { $0 }.count) / Double(max(measures.count, 1))
  }
  /// Pixels with a 4-neighbour of the other class.
  public var boundary: [Bool] { trainabilityBoundary(converged: converged, side: resolution) }
  /// Box-counting dimension of the boundary pixels.
  public var dimension: BoxCountingDimension {
    boxCountingDimension(mask: boundary, side: resolution)
  }

  /// The boundary pixel, among those within a quarter of the side from the centre (all if
  /// none is), whose 7 × 7 neighbourhood is closest to half converged — a point on the border
  /// between two large regions rather than an isolated speck — ties going to the one nearest
  /// the centre.
  public var balancedBoundaryPixel: (row: Int, column: Int)? {
    let r = resolution
    let middle = Double(r - 1) / 2
    let mask = boundary
    let classes = converged
    func distance(_ k: Int) -> Double {
      let (row, column) = k.quotientAndRemainder(dividingBy: r)
      return
        ((Double(row) - middle) * (Double(row) - middle)
        + (Double(column) - middle) * (Double(column) - middle)).squareRoot()
    }
    let candidates = mask.indices.filter { mask[$0] }
    guard !candidates.isEmpty else { return nil }
    let central = candidates.filter { distance($0) <= Double(r) / 4 }
    var best: (score: Double, distance: Double, k: Int)?
    for k in central.isEmpty ? candidates : central {
      let (row, column) = k.quotientAndRemainder(dividingBy: r)
      var count = 0
      var total = 0
      for i in max(0, row - 3)...min(r - 1, row + 3) {
        for j in max(0, column - 3)...min(r - 1, column + 3) {
          total += 1
          if classes[i * r + j] { count += 1 }
        }
      }
      let score = abs(Double(count) / Double(total) - 0.5)
      let candidate = (score, distance(k), k)
      if best == nil || candidate.0 < best!.score
        || (candidate.0 == best!.score && candidate.1 < best!.distance)
      {
        best = candidate
      }
    }
    return best.map { $0.k.quotientAndRemainder(dividingBy: r) }.map { (row: $0.0, column: $0.1) }
  }

  /// The boundary pixel nearest the centre (row, column), if the frame has a boundary.
  public var boundaryPixelNearestCentre: (row: Int, column: Int)? {
    let r = resolution
    let middle = Double(r - 1) / 2
    var best: (Int, Int)?
    var bestDistance = Double.infinity
    for (k, isBoundary) in boundary.enumerated() where isBoundary {
      let (row, column) = k.quotientAndRemainder(dividingBy: r)
      let distance =
        (Double(row) - middle) * (Double(row) - middle)
        + (Double(column) - middle) * (Double(column) - middle)
      if distance < bestDistance {
        bestDistance = distance
        best = (row, column)
      }
    }
    return best.map { (row: $0.0, column: $0.1) }
  }
}

/// The pixels of an r × r class image that have a 4-neighbour of the other class.
public func trainabilityBoundary(converged: [Bool], side r: Int) -> [Bool] {
  classBoundary(converged, width: r, height: r)
}

/// How a zoom series picks the next centre in a frame: the boundary pixel nearest the centre,
/// or the most balanced boundary pixel near it (``TrainabilityFrame/balancedBoundaryPixel``),
/// which keeps the zoom on the border between large regions where the boundary also holds
/// isolated specks.
public enum TrainabilityZoomTarget: String, Codable, Sendable, CaseIterable {
  case nearest
  case balanced
}

/// The windows of a zoom series: widths shrinking geometrically from `start.width` to
/// `finalWidth` over `frames` frames, each frame centred on a boundary pixel of the previous
/// frame chosen by `target` (so every frame straddles the boundary).
public struct TrainabilityZoom: Sendable {
  public var start: TrainabilityView
  public var finalWidth: Double
  public var frames: Int
  public var target: TrainabilityZoomTarget

  public init(
    start: TrainabilityView, finalWidth: Double, frames: Int,
    target: TrainabilityZoomTarget = .nearest
  ) {
    self.start = start
    self.finalWidth = finalWidth
    self.frames = frames
    self.target = target
  }

  /// The width of frame k (k = 0 is the start view's width).
  public func width(_ k: Int) -> Double {
    frames <= 1
      ? start.width
      : start.width * Foundation.pow(finalWidth / start.width, Double(k) / Double(frames - 1))
  }

  /// The next frame's view after `frame` (frame number k), or nil if it has no boundary.
  public func next(after frame: TrainabilityFrame, number k: Int) -> TrainabilityView? {
    let chosen =
      target == .nearest ? frame.boundaryPixelNearestCentre : frame.balancedBoundaryPixel
    guard let pixel = chosen else { return nil }
    let (u, v) = frame.view.coordinates(
      row: pixel.row, column: pixel.column, resolution: frame.resolution)
    let w = width(k + 1)
    let aspect = frame.view.height / frame.view.width
    return TrainabilityView(u: (u - w / 2, u + w / 2), v: (v - w * aspect / 2, v + w * aspect / 2))
  }
}

/// The settings the variant check covers: tanh, ReLU and identity full batch, and tanh with a
/// single point, minibatches of 16, the initialisation offset, a spectral penalty and spectral
/// normalisation of W₀.
public func trainabilityCheckSetups(steps: Int) -> [TrainabilitySetup] {
  [Activation.tanh, .relu, .identity].map {
    TrainabilitySetup(activation: $0, steps: steps)
  } + [
    TrainabilitySetup(variant: .singlePoint, steps: steps),
    TrainabilitySetup(variant: .minibatch, steps: steps),
    TrainabilitySetup(variant: .offset, steps: steps),
    TrainabilitySetup(steps: steps, spectral: .penalty(strength: 0.1, target: 1)),
    TrainabilitySetup(steps: steps, spectral: .normalization(target: 4)),
  ]
}

/// The outcome of comparing batched frames with the straightforward trainer.
public struct StraightforwardComparison: Sendable {
  /// The views compared.
  public var views: [TrainabilityView] = []
  /// Converged pixels per view (by the straightforward trainer).
  public var converged: [Int] = []
  /// (view, pixel, batched measure, straightforward measure) of every pixel that differs.
  public var mismatches: [(view: Int, pixel: Int, batched: Double, reference: Double)] = []
  /// Pixels whose class differs.
  public var classMismatches = 0
}

/// Computes three frames of `setup` on `problem` with the batched trainer — the wide view,
/// then zoom frames of widths 0.3 and 0.01 decades on the way toward a boundary point — and
/// compares every pixel with
/// ``trainPixel(_:member:steps:schedule:batch:spectral:)``, on `threads` threads.
public func compareWithStraightforward(
  _ setup: TrainabilitySetup, problem: TrainabilityProblem, resolution r: Int, threads: Int
) -> StraightforwardComparison {
  let trainer = {
    var t = setup.trainer
    t.problem = problem
    return t
  }()
  let schedule = trainer.minibatch.map {
    minibatchSchedule(
      points: problem.points, batch: $0, steps: setup.steps, seed: trainer.minibatchSeed)
  }
  var result = StraightforwardComparison()
  var view = TrainabilityView.wide
  // Widths 9 → 0.01 in steps of at most 6×, each frame centred on the boundary pixel nearest
  // the previous frame's centre; the frames of widths 9, 0.3 and 0.01 are compared.
  let widths = [9.0, 1.5, 0.3, 0.06, 0.01]
  let compared: Set<Int> = [0, 2, 4]
  // The batched measures of the previous view, which place the next one.
  var previous: [Double] = []
  for (k, width) in widths.enumerated() {
    if k > 0 {
      let frame = TrainabilityFrame(setup: setup, view: view, resolution: r, measures: previous)
      guard let pixel = frame.boundaryPixelNearestCentre else { break }
      let (u, v) = view.coordinates(row: pixel.row, column: pixel.column, resolution: r)
      view = TrainabilityView(centre: (u, v), width: width)
    }
    let members = trainabilityMembers(setup, view: view, resolution: r, rows: 0..<r)
    let batched = trainer.measures(members, threads: threads, earlyExit: true)
    previous = batched
    guard compared.contains(k) else { continue }
    let reference = ParallelMap.all(members, jobs: threads) { _, member in
      let losses = trainPixel(
        problem, member: member, steps: setup.steps, schedule: schedule,
        batch: trainer.minibatch ?? 0, spectral: setup.spectral)
      return TrainabilityMeasure.measure(normalizedLosses: losses, window: setup.window)
    }
    result.views.append(view)
    result.converged.append(reference.filter(TrainabilityMeasure.converged).count)
    for m in members.indices {
      let (a, b) = (batched[m], reference[m])
      if !(a == b || (a.isNaN && b.isNaN)) {
        result.mismatches.append((result.views.count - 1, m, a, b))
      }
      if TrainabilityMeasure.converged(a) != TrainabilityMeasure.converged(b) {
        result.classMismatches += 1
      }
    }
  }
  return result
}

import Foundation
import Spectral
import Statistics
import Tensors

/// What the sample-complexity protocol measured (``SampleComplexityProtocol``): learnability
/// curves A(P) per d for the network and its Gaussian process, the threshold P*(d) where the
/// mean A over draws first reaches a level (½ by default), its bootstrap interval over draws,
/// and the log–log slope of P* against d with its interval.
///
/// - The network's A of one run is the mean over the snapshots of its last quarter (the
///   chain's samples after burn-in: the posterior mean of the overlap); the GP's A is its
///   posterior mean's overlap on the test points.
/// - P*: the first P of the grid at which the mean A reaches the level, interpolated linearly
///   in log P from the grid point before (A is close to linear in log P near its rise). If the
///   smallest P already reaches it, P* is at most that P; if no P does, beyond the largest.
/// - Intervals: a percentile bootstrap over draws (2000 resamples of the draws, the same draws
///   at every P of one d: a draw's teacher is shared), 95 %. A resample whose curve never
///   crosses puts P* beyond the grid: the interval is then open on that side.
/// - Slope: least squares of log P* on log d over the d whose P* is inside the grid, the
///   bootstrap resampling the draws of every d independently; resamples in which one of those
///   d does not cross are left out, and their number is reported.
public struct SampleComplexitySummary: Sendable {
  public typealias RunResult = (run: FeatureLearningRun, result: FeatureLearningRun.Result)

  public var definition: SampleComplexityProtocol
  public var networks: [RunResult]
  public var kernels: [RunResult]
  public var mixed: [RunResult]

  public init(
    definition: SampleComplexityProtocol, networks: [RunResult], kernels: [RunResult],
    mixed: [RunResult]
  ) {
    self.definition = definition
    self.networks = networks
    self.kernels = kernels
    self.mixed = mixed
  }

  public enum Learner: String, CaseIterable, Sendable {
    case network
    case gaussianProcess = "GP"

    /// The slope the theory predicts: P* ∝ d for the network's specialised pattern, ∝ d³ for
    /// the GP (it learns degree-3 components once P ≫ d³).
    public var predictedSlope: Double { self == .network ? 1 : 3 }
  }

  /// A(P) at one d: per grid point the overlap of each draw (ordered by draw).
  public struct Curve: Sendable {
    public var dimension: Int
    public var samples: [Int]
    public var overlaps: [[Double]]
    public var mean: [MeanInterval] { overlaps.map { MeanInterval($0) } }

    public init(dimension: Int, samples: [Int], overlaps: [[Double]]) {
      self.dimension = dimension
      self.samples = samples
      self.overlaps = overlaps
    }
  }

  /// The network's A of one run: the mean over its last quarter's snapshots.
  public static func networkOverlap(_ result: FeatureLearningRun.Result) -> Double {
    guard let last = result.snapshots.last else { return .nan }
    let tail = result.snapshots.filter { 4 * $0.step >= 3 * last.step }
    return tail.reduce(0) { $0 + $1.order.overlap } / Double(tail.count)
  }

  public func curve(_ learner: Learner, dimension d: Int) -> Curve {
    let runs = (learner == .network ? networks : networks + kernels).filter {
      $0.run.dimension == d
    }
    let samples = Array(Set(runs.map(\.run.samples))).sorted()
    let overlaps = samples.map { p in
      runs.filter { $0.run.samples == p }.sorted { $0.run.seed < $1.run.seed }.map {
        learner == .network
          ? Self.networkOverlap($0.result) : $0.result.gaussianProcessOverlap
      }
    }
    return Curve(dimension: d, samples: samples, overlaps: overlaps)
  }

  /// Where a curve first reaches a level.
  public enum Crossing: Sendable, Equatable {
    /// Inside the grid, at this P.
    case at(Double)
    /// Already at the smallest P (P* ≤ it).
    case atOrBelow(Int)
    /// At no P of the grid (P* > the largest).
    case beyond(Int)

    public var value: Double? {
      if case .at(let p) = self { return p }
      return nil
    }
    /// log P* with the censored ends at ∓∞, for ordering bootstrap replicates.
    var logValue: Double {
      switch self {
      case .at(let p): return log(p)
      case .atOrBelow: return -.infinity
      case .beyond: return .infinity
      }
    }
  }

  /// The first crossing of `level` by `values` over the increasing `samples`, interpolated
  /// linearly in log P.
  public static func crossing(samples: [Int], values: [Double], level: Double) -> Crossing {
    precondition(samples.count == values.count && !samples.isEmpty, "one value per P")
    guard let i = values.firstIndex(where: { $0 >= level }) else { return .beyond(samples.last!) }
    if i == 0 { return .atOrBelow(samples[0]) }
    let (x0, x1) = (log(Double(samples[i - 1])), log(Double(samples[i])))
    let (v0, v1) = (values[i - 1], values[i])
    return .at(exp(x0 + (level - v0) / (v1 - v0) * (x1 - x0)))
  }

  /// P* with its 95 % bootstrap interval (ends in P; −∞/∞ where resamples fall off the grid).
  public struct Threshold: Sendable {
    public var dimension: Int
    public var level: Double
    public var estimate: Crossing
    public var lower: Double
    public var upper: Double
  }

  public static let resamples = 2000

  /// The mean curve of a resample of the draws (indices into each grid point's draws).
  static func resampledMeans(_ curve: Curve, _ picks: [Int]) -> [Double] {
    curve.overlaps.map { draws in
      picks.reduce(0) { $0 + draws[$1 % draws.count] } / Double(picks.count)
    }
  }

  /// `resamples` bootstrap replicates of the crossing at `curve` (seeded by d and the level).
  static func replicates(_ curve: Curve, level: Double) -> [Crossing] {
    let draws = curve.overlaps.map(\.count).min() ?? 0
    guard draws > 0 else { return [] }
    var random = SplittableRandom(seed: UInt64(curve.dimension)).derived("bootstrap")
    return (0..<resamples).map { _ in
      let picks = (0..<draws).map { _ in random.nextInt(below: draws) }
      return crossing(
        samples: curve.samples, values: resampledMeans(curve, picks), level: level)
    }
  }

  /// The p-quantile of sorted values by nearest rank (infinite values allowed).
  static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
  }

  public func threshold(_ learner: Learner, dimension d: Int, level: Double) -> Threshold {
    Self.threshold(curve(learner, dimension: d), level: level)
  }

  /// The crossing of a curve's mean over draws (no bootstrap).
  static func estimate(_ curve: Curve, level: Double) -> Crossing {
    crossing(samples: curve.samples, values: curve.mean.map(\.mean), level: level)
  }

  /// P* of one curve with its bootstrap interval.
  public static func threshold(_ curve: Curve, level: Double) -> Threshold {
    let estimate = estimate(curve, level: level)
    let logs = replicates(curve, level: level).map(\.logValue).sorted()
    return Threshold(
      dimension: curve.dimension, level: level, estimate: estimate,
      lower: exp(quantile(logs, 0.025)),
      upper: exp(quantile(logs, 0.975)))
  }

  /// The slope of log P* against log d with its 95 % bootstrap interval.
  public struct SlopeFit: Sendable {
    public var learner: Learner
    public var level: Double
    public var slope: Double
    public var lower: Double
    public var upper: Double
    /// The d whose P* lies inside the grid (the fit's points).
    public var dimensions: [Int]
    /// Bootstrap resamples in which one of those d did not cross (left out).
    public var leftOut: Int
  }

  public func slope(_ learner: Learner, level: Double) -> SlopeFit? {
    Self.slope(
      definition.dimensions.map { curve(learner, dimension: $0) }, learner: learner,
      level: level)
  }

  /// The slope over the curves of several d.
  public static func slope(_ curves: [Curve], learner: Learner, level: Double) -> SlopeFit? {
    let points = curves.compactMap { curve in
      estimate(curve, level: level).value.map { (curve: curve, value: $0) }
    }
    guard points.count >= 2 else { return nil }
    let inside = points.map(\.curve)
    let estimates = points.map(\.value)
    let x = inside.map { log(Double($0.dimension)) }
    let slope = leastSquaresSlope(x: x, y: estimates.map(log))
    let replicates = inside.map { Self.replicates($0, level: level) }
    var slopes: [Double] = []
    for b in 0..<resamples {
      let values = replicates.map { $0[b].value }
      guard values.allSatisfy({ $0 != nil }) else { continue }
      slopes.append(leastSquaresSlope(x: x, y: values.map { log($0!) }))
    }
    slopes.sort()
    return SlopeFit(
      learner: learner, level: level, slope: slope, lower: quantile(slopes, 0.025),
      upper: quantile(slopes, 0.975), dimensions: inside.map(\.dimension),
      leftOut: resamples - slopes.count)
  }

  /// The mixed target's error parts over training time: mean over draws at each recorded step.
  public struct Stages: Sendable {
    public var steps: [Int]
    public var linearError: [MeanInterval]
    public var cubicError: [MeanInterval]
    public var remainingError: [MeanInterval]
    /// The GP's test error on the same points (mean over draws).
    public var gaussianProcessError: MeanInterval

    /// The first step at which the mean of `part` is at most half its initial value.
    public static func halving(_ steps: [Int], _ part: [MeanInterval]) -> Int? {
      guard let first = part.first?.mean else { return nil }
      return zip(steps, part).first { $0.1.mean <= first / 2 }?.0
    }
  }

  public var stages: Stages? {
    guard let shortest = mixed.map(\.result.snapshots.count).min(), shortest > 0 else {
      return nil
    }
    let runs = mixed.map { Array($0.result.snapshots.prefix(shortest)) }
    func part(_ value: (FeatureOrderParameters) -> Double) -> [MeanInterval] {
      (0..<shortest).map { i in MeanInterval(runs.map { value($0[i].order) }) }
    }
    return Stages(
      steps: runs[0].map(\.step), linearError: part(\.linearError),
      cubicError: part(\.cubicError), remainingError: part(\.remainingError),
      gaussianProcessError: MeanInterval(mixed.map(\.result.gaussianProcessError)))
  }

  /// The largest P of the network runs at d.
  public func largestNetworkSamples(dimension d: Int) -> Int? {
    networks.filter { $0.run.dimension == d }.map(\.run.samples).max()
  }

  /// The neurons' alignments |w_j·w*|/|w_j| at the end of the network runs at the largest P
  /// of d.
  public func alignments(dimension d: Int) -> [Double] {
    guard let largest = largestNetworkSamples(dimension: d) else { return [] }
    return networks.filter { $0.run.dimension == d && $0.run.samples == largest }
      .flatMap { $0.result.final?.alignments ?? [] }
  }

  /// The seconds every run took, summed (compute, whichever invocation ran them).
  public var computeSeconds: Double {
    (networks + kernels + mixed).reduce(0) { $0 + $1.result.seconds }
  }

  /// Runs whose parameters left the floating-point range.
  public var divergedCount: Int {
    (networks + mixed).filter(\.result.diverged).count
  }
}

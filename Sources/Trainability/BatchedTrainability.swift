import CTrainability
import Dispatch
import Foundation
import NN
import Runner
import Tensors

/// Trains a family of copies of one ``TrainabilityProblem`` network at once, one
/// hyperparameter point per member (one pixel of a trainability image each), by gradient
/// descent, through the vectorised kernel of the `CTrainability` target.
///
/// Members are trained eight at a time, side by side: every working array is member-minor, the
/// data X, Y are shared, and each step is one pass over the points that computes the loss and
/// accumulates the gradient point by point (so a member's working set is its weights and
/// gradients, ~4 KB, and stays in cache). Each member's arithmetic is exactly that of the
/// straightforward ``trainPixel(_:learningRates:steps:)`` (the same fused multiply–adds, sums
/// over the inner index ascending from +0), so the two give bit-identical losses. Threads take
/// groups of members from a shared counter; a group's result does not depend on which thread
/// trains it, so results do not depend on the thread count.
///
/// Early exit: a group stops once every member's loss is NaN — permanent, since NaN reaches W₁
/// at the next update and every later ŷ — and its remaining normalised losses are taken as
/// non-finite, which is what training to the end would give.
public struct BatchedTrainability: Sendable {
  public var problem: TrainabilityProblem
  public var steps: Int
  /// Losses averaged at the end for the measure (20 in the paper).
  public var window: Int
  /// Minibatch size, or nil for full-batch gradient descent.
  public var minibatch: Int?
  /// The minibatch schedule's seed (see ``minibatchSchedule(points:batch:steps:seed:)``).
  public var minibatchSeed: UInt64
  /// Spectral control of W₀.
  public var spectral: TrainabilitySpectralControl
  /// Arithmetic precision of the training (the measure is always accumulated in double).
  public var precision: TrainabilityPrecision

  public init(
    problem: TrainabilityProblem, steps: Int, window: Int = 20, minibatch: Int? = nil,
    minibatchSeed: UInt64 = 0, spectral: TrainabilitySpectralControl = .none,
    precision: TrainabilityPrecision = .float64
  ) {
    self.precision = precision
    self.problem = problem
    self.steps = steps
    self.window = window
    self.minibatch = minibatch
    self.minibatchSeed = minibatchSeed
    self.spectral = spectral
  }

  /// Members trained together by one kernel call.
  public static let lanes = Int(CRIT_TRAINABILITY_LANES)
  /// The largest input dimension or width, and the largest window, the kernel takes.
  public static let largestSize = Int(CRIT_TRAINABILITY_MAX_SIZE)
  public static let largestWindow = Int(CRIT_TRAINABILITY_MAX_WINDOW)

  /// The per-member measures for learning-rate pairs `rates` (every member starting from the
  /// problem's initialisation), on `threads` threads. `earlyExit: false` trains every member
  /// for every step. `progress` receives the number of members finished so far.
  public func measures(
    _ rates: [(Double, Double)], threads: Int = 1, earlyExit: Bool = true,
    progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) -> [Double] {
    measures(
      rates.map { TrainabilityMember(eta0: $0.0, eta1: $0.1) }, threads: threads,
      earlyExit: earlyExit, progress: progress)
  }

  /// The per-member measures of `members` (learning rates and initial-weight offsets).
  public func measures(
    _ members: [TrainabilityMember], threads: Int = 1, earlyExit: Bool = true,
    progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) -> [Double] {
    measures(members, threads: threads, earlyExit: earlyExit, stop: { false }, progress: progress)!
  }

  /// The per-member measures, or nil if `stop` turned true before every member was trained
  /// (workers check it between groups of members).
  public func measures(
    _ members: [TrainabilityMember], threads: Int = 1, earlyExit: Bool = true,
    stop: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) -> [Double]? {
    measuresAndWork(
      members, threads: threads, earlyExit: earlyExit, stop: stop, progress: progress)?.measures
  }

  /// Floating-point operations of one member's step in the network's products, counted from
  /// the kernel's loops (2 per fused multiply–add): the forward pass over all N points,
  /// 2N(dn + n), and the gradient over the step's G gradient points, 2G(dn + n) for ∂L/∂W₀ and
  /// ∂L/∂W₁ plus 4Gn for ∂L/∂A. tanh, the loss and the update are not counted, so a rate from
  /// it is a lower bound on the arithmetic done; the last step, which takes no gradient, is
  /// counted as a full one (an overcount below 1/T).
  public var flopsPerMemberStep: Double {
    let (d, n) = (Double(problem.inputs), Double(problem.width))
    let points = Double(problem.points)
    let gradientPoints = Double(minibatch ?? problem.points)
    return 2 * points * (d * n + n) + gradientPoints * (2 * (d * n + n) + 4 * n)
  }

  /// ``measures(_:threads:earlyExit:stop:progress:)`` with the work the kernel did:
  /// `laneSteps` sums, over the groups of ``lanes`` members, the steps each group ran (early
  /// exit included) times ``lanes`` — every lane computes, a padding lane too.
  public func measuresAndWork(
    _ members: [TrainabilityMember], threads: Int = 1, earlyExit: Bool = true,
    stop: @escaping @Sendable () -> Bool = { false },
    progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) -> (measures: [Double], laneSteps: Int)? {
    precondition(
      problem.inputs <= Self.largestSize && problem.width <= Self.largestSize
        && window <= Self.largestWindow && steps >= 1,
      "trainability kernel limits: d, n ≤ \(Self.largestSize), window ≤ \(Self.largestWindow)")
    let lanes = Self.lanes
    let groups = (members.count + lanes - 1) / lanes
    var values: [Double]? = nil
    var laneSteps = 0
    let schedule = minibatch.map {
      minibatchSchedule(points: problem.points, batch: $0, steps: steps, seed: minibatchSeed)
    }
    let p = problem
    let (d, n) = (p.inputs, p.width)
    let workers = max(1, min(threads, groups))
    let scaled = p.scaledInputs
    let x32 = precision == .float32 ? scaled.map { Float($0) } : []
    let y32 = precision == .float32 ? p.y.map { Float($0) } : []
    x32.withUnsafeBufferPointer { x32 in
      y32.withUnsafeBufferPointer { y32 in
        scaled.withUnsafeBufferPointer { x in
          p.y.withUnsafeBufferPointer { y in
            (schedule ?? []).withUnsafeBufferPointer { batches in
              var setup = crit_trainability_setup()
              setup.inputs = Int32(d)
              setup.width = Int32(n)
              setup.points = Int32(p.points)
              setup.x = x.baseAddress
              setup.y = y.baseAddress
              setup.activation = Self.kernelActivation(p.activation)
              setup.steps = Int32(steps)
              setup.window = Int32(window)
              setup.batch = Int32(minibatch ?? 0)
              setup.batch_points = minibatch == nil ? nil : batches.baseAddress
              setup.early_exit = earlyExit ? 1 : 0
              setup.single_precision = precision == .float32 ? 1 : 0
              setup.x32 = x32.baseAddress
              setup.y32 = y32.baseAddress
              switch spectral {
              case .none: setup.spectral = 0
              case .penalty(let strength, let target):
                setup.spectral = 1
                setup.spectral_strength = strength
                setup.spectral_target = target
              case .normalization(let target):
                setup.spectral = 2
                setup.spectral_target = target
              }
              setup.power_iterations = 1
              // The setup's pointers stay valid for the whole parallel section (it runs inside the
              // buffer scopes above), and workers only read them.
              let drifts = members.contains { $0.offset != 0 }
              let done = LockedBox(0)
              let work = LockedBox(0)
              let chunks = try? ParallelMap.run(
                Array(0..<groups), jobs: workers,
                scratch: { TrainabilityScratch(lanes: lanes, inputs: d, width: n) },
                onResult: { _, chunk in
                  done.withLock {
                    $0 += chunk.count
                    progress($0)
                  }
                }
              ) { scratch, _, group -> [Double] in
                if stop() { throw TrainabilityStopped() }
                var setup = setup
                let range = (group * lanes)..<min((group + 1) * lanes, members.count)
                for (b, m) in range.enumerated() {
                  let member = members[m]
                  scratch.eta0[b] = member.eta0
                  scratch.eta1[b] = member.eta1
                  scratch.offset[b] = member.offset
                  for k in 0..<(d * n) {
                    scratch.w0[b * d * n + k] = drifts ? p.w0[k] + member.offset : p.w0[k]
                  }
                  for j in 0..<n { scratch.w1[b * n + j] = p.w1[j] }
                }
                let ran = crit_trainability_train_chunk(
                  &setup, Int32(range.count), scratch.w0, scratch.w1, scratch.eta0, scratch.eta1,
                  drifts ? scratch.offset : nil, &scratch.result, scratch.workspace)
                work.withLock { $0 += Int(ran) * lanes }
                return Array(scratch.result[0..<range.count])
              }
              values = chunks?.flatMap { $0 ?? [] }
              laneSteps = work.withLock { $0 }
            }
          }
        }
      }
    }
    return values.map { ($0, laneSteps) }
  }

  static func kernelActivation(_ activation: Activation) -> Int32 {
    switch activation {
    case .tanh: return Int32(CRIT_TRAINABILITY_TANH.rawValue)
    case .relu: return Int32(CRIT_TRAINABILITY_RELU.rawValue)
    case .identity: return Int32(CRIT_TRAINABILITY_IDENTITY.rawValue)
    default:
      preconditionFailure(
        "trainability: activation \(activation) is not one of tanh, relu, identity")
    }
  }
}

/// One member of a batched trainability family: its learning rates for W₀ and W₁, and the
/// offset c of the initialisation-offset variant, added to every weight of W₀ before the first
/// step and again after every update (as the reference notebook's `paraminit_vs_lr` phase
/// space does; zero for the learning-rate images).
public struct TrainabilityMember: Sendable, Equatable {
  public var eta0: Double
  public var eta1: Double
  public var offset: Double

  public init(eta0: Double, eta1: Double, offset: Double = 0) {
    self.eta0 = eta0
    self.eta1 = eta1
    self.offset = offset
  }
}

/// The arithmetic of a trainability run: double precision (the reference experiment, and
/// bit-identical to the straightforward trainer) or single precision (eight members per
/// 256-bit vector instead of four; tanh evaluated in double and rounded).
public enum TrainabilityPrecision: String, Codable, Sendable, CaseIterable {
  case float64
  case float32
}

/// Spectral control of the input layer W₀ during a trainability run: none; a penalty
/// λ(σ_max(W₀) − τ)² added to the loss being descended (the recorded loss stays the data
/// loss); or spectral normalisation, the network using τ·W₀/σ_max(W₀) (Miyato et al. 2018).
/// σ_max comes from one step of power iteration per update, warm-started.
public enum TrainabilitySpectralControl: Codable, Sendable, Equatable {
  case none
  case penalty(strength: Double, target: Double)
  case normalization(target: Double)
}

/// The points of each gradient step of minibatch training, as in the reference notebook:
/// `batch` indices drawn uniformly with replacement for every step (from `seed`, shared by all
/// pixels), each batch sorted ascending so that its gradient sums run in point order (repeats
/// counted). Returns `steps × batch` indices, step-major.
public func minibatchSchedule(points: Int, batch: Int, steps: Int, seed: UInt64) -> [Int32] {
  precondition(batch >= 1 && points >= 1, "minibatch of \(batch) from \(points) points")
  var rng = SplittableRandom(seed: seed)
  var schedule: [Int32] = []
  schedule.reserveCapacity(steps * batch)
  for _ in 0..<steps {
    // Uniform in 0..<points by rejection of the top partial range (no modulo bias).
    let limit = UInt64.max - UInt64.max % UInt64(points)
    let drawn = (0..<batch).map { _ -> Int32 in
      var value = rng.next()
      while value >= limit { value = rng.next() }
      return Int32(value % UInt64(points))
    }
    schedule += drawn.sorted()
  }
  return schedule
}

/// A worker's buffers for one chunk of members: weights, learning rates, offsets, results and
/// the kernel's workspace, reused across the chunks the worker trains.
final class TrainabilityScratch {
  var w0: [Double]
  var w1: [Double]
  var eta0: [Double]
  var eta1: [Double]
  var offset: [Double]
  var result: [Double]
  let workspace: UnsafeMutableRawPointer

  init(lanes: Int, inputs: Int, width: Int) {
    w0 = [Double](repeating: 0, count: lanes * inputs * width)
    w1 = [Double](repeating: 0, count: lanes * width)
    eta0 = [Double](repeating: 0, count: lanes)
    eta1 = [Double](repeating: 0, count: lanes)
    offset = [Double](repeating: 0, count: lanes)
    result = [Double](repeating: .nan, count: lanes)
    workspace = UnsafeMutableRawPointer.allocate(
      byteCount: crit_trainability_workspace_bytes(), alignment: 64)
  }

  deinit { workspace.deallocate() }
}

/// A stop request seen between chunks of a batched trainability frame.
struct TrainabilityStopped: Error {}

import Data
import Foundation
import NN
import Steering

/// One small transformer (``TransformerModel``, single precision) trained by Adam on a sequence
/// task (``AttentionTask``) with fresh batches every step, under a spectral control
/// (``AttentionSpectralControl``). Token tasks: a causal model, cross-entropy on the scored
/// positions only, scored by held-out accuracy (the fraction of scored next tokens predicted,
/// argmax). The toy sum: a non-causal model reading vectors, its readout averaged over
/// positions, mean squared error, scored by held-out R² = 1 − Σ(ŷ − y)²/Σ(y − ȳ)². The score,
/// each layer's attention entropy and σ_max of the query–key forms are recorded every
/// `recordEvery` steps on `testCount` sequences from a separate stream; at the end
/// (``Result``) the per-head measures, each weight matrix's spectrum and heavy-tailed α, the
/// input–output Jacobian's singular values (also at initialisation) and the attention maps of
/// one held-out sequence.
public struct TransformerTaskRun: Codable, Sendable, Equatable {
  public var task: AttentionTask
  public var vocabulary: Int
  /// The toy sum's vector dimension d.
  public var dimension: Int
  public var length: Int
  public var width: Int
  public var heads: Int
  public var depth: Int
  public var steps: Int
  public var batch: Int
  public var learningRate: Double
  public var recordEvery: Int
  public var testCount: Int
  public var control: AttentionSpectralControl
  public var seed: UInt64

  public init(
    task: AttentionTask, vocabulary: Int = 16, dimension: Int = 8, length: Int = 16,
    width: Int = 64, heads: Int = 4, depth: Int = 2, steps: Int = 1500, batch: Int = 32,
    learningRate: Double = 1e-3, recordEvery: Int = 250, testCount: Int = 256,
    control: AttentionSpectralControl = .none, seed: UInt64
  ) {
    self.task = task
    self.vocabulary = vocabulary
    self.dimension = dimension
    self.length = length
    self.width = width
    self.heads = heads
    self.depth = depth
    self.steps = steps
    self.batch = batch
    self.learningRate = learningRate
    self.recordEvery = recordEvery
    self.testCount = testCount
    self.control = control
    self.seed = seed
  }

  public struct Snapshot: Codable, Sendable, Equatable {
    public var step: Int
    /// Mean task loss (without a penalty) over the steps since the last snapshot.
    public var trainLoss: Double
    /// Held-out accuracy (token tasks) or R² (the toy sum).
    public var testScore: Double
    /// Per layer, the attention entropy on the held-out sequences, mean over heads
    /// (``AttentionHeadMeasures/entropy(_:)``).
    public var entropy: [Double]
    /// Per layer, the largest σ_max(W_{Q,h}ᵀ W_{K,h}) over heads (the D × D query–key form),
    /// of the weights a pass uses.
    public var queryKeySigmaMax: [Double]
  }

  /// One block weight matrix's spectrum at the end (as `crit analyze` computes it).
  public struct WeightSpectrum: Codable, Sendable, Equatable {
    public var name: String
    public var sigmaMax: Double
    public var stableRank: Double
    /// The heavy-tailed exponent of the eigenvalues of WᵀW (WeightWatcher's fit), `nil` when
    /// no fit is possible.
    public var alpha: Double?
  }

  public struct Result: Codable, Sendable, Equatable {
    public var snapshots: [Snapshot]
    /// The loss became non-finite; training stopped there (the snapshots so far are kept).
    public var diverged: Bool
    /// Per layer, per head, at the end.
    public var heads: [[AttentionHeadMeasures]]
    public var weights: [WeightSpectrum]
    /// Singular values of the input–output Jacobian (``TransformerJacobian``) at held-out
    /// sequence 0, largest first: at initialisation and at the end (empty when L·D exceeds
    /// ``TransformerJacobian/largestSize``).
    public var initialJacobian: [Double]
    public var finalJacobian: [Double]
    /// Per layer, per head, the attention map of held-out sequence 0 at the end (L × L, row
    /// major: row i is query i's distribution over keys).
    public var maps: [[[Double]]]
    public var seconds: Double

    public var finalScore: Double { snapshots.last?.testScore ?? .nan }
  }

  /// Why the run cannot start (`nil` when it can).
  public var problem: String? {
    if let problem = task.problem(length: length, vocabulary: vocabulary, dimension: dimension) {
      return problem
    }
    if let problem = control.problem { return problem }
    if !(heads >= 1 && width >= heads && width % heads == 0) {
      return "width \(width) must split into \(heads) heads"
    }
    if !(1...64).contains(depth) { return "depth must be in 1…64, got \(depth)" }
    if !(width <= 1024) { return "width must be at most 1024, got \(width)" }
    if !(length <= 256) { return "length must be at most 256, got \(length)" }
    if !(0...1_000_000).contains(steps) { return "steps must be in 0…1000000, got \(steps)" }
    if !(1...4096).contains(batch) { return "batch must be in 1…4096, got \(batch)" }
    if !(2...4096).contains(testCount) { return "testCount must be in 2…4096, got \(testCount)" }
    if !(recordEvery >= 1) { return "recordEvery must be at least 1, got \(recordEvery)" }
    if !(learningRate > 0 && learningRate.isFinite) {
      return "learningRate must be a positive number, got \(learningRate)"
    }
    return nil
  }

  public func validate() throws {
    if let problem { throw ConfigurationError(key: "transformer-task", message: problem) }
  }
}

import Data
import NN
import Steering

/// One recurrent-network training run: task, data sizes, network, optimiser, truncation of
/// backpropagation through time, spectral control and seeds.
public struct RecurrentTrainingConfiguration: Codable, Sendable, Hashable {
  public var task: SequenceTask
  /// Steps per sequence.
  public var length: Int
  public var trainSequences: Int
  public var testSequences: Int
  /// Hidden units H.
  public var hidden: Int
  /// Initial recurrent gain g (`W_rec ~ N(0, g²/H)`, spectral radius ≈ g).
  public var gain: Double
  public var optimizer: OptimizerConfiguration
  public var learningRate: Double
  public var batchSize: Int
  public var epochs: Int
  /// Truncated BPTT: gradients flow back at most this many steps (the sequence is processed in
  /// chunks of this length, one update per chunk, the hidden state carried across chunks but
  /// detached). `nil`: full backpropagation through the whole sequence, one update per batch.
  public var truncation: Int?
  /// Rescale the gradient to this global L2 norm when it is larger (Pascanu et al. 2013);
  /// `nil`: no clipping.
  public var gradientClip: Double?
  public var regularization: RecurrentRegularization
  /// Initialisation and mini-batch order.
  public var seed: UInt64
  /// The sequences (the same for every seed unless changed).
  public var dataSeed: UInt64

  public init(
    task: SequenceTask = .delayedRecall(lags: [5], symbols: 2), length: Int = 40,
    trainSequences: Int = 512, testSequences: Int = 256, hidden: Int = 64, gain: Double = 1,
    optimizer: OptimizerConfiguration = OptimizerConfiguration(kind: .adam),
    learningRate: Double = 3e-3, batchSize: Int = 32, epochs: Int = 40, truncation: Int? = nil,
    gradientClip: Double? = 1, regularization: RecurrentRegularization = .none, seed: UInt64 = 0,
    dataSeed: UInt64 = 0
  ) {
    self.task = task
    self.length = length
    self.trainSequences = trainSequences
    self.testSequences = testSequences
    self.hidden = hidden
    self.gain = gain
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.batchSize = batchSize
    self.epochs = epochs
    self.truncation = truncation
    self.gradientClip = gradientClip
    self.regularization = regularization
    self.seed = seed
    self.dataSeed = dataSeed
  }

  /// The most memory the sequences of one run may take (4 GiB).
  public static let maximumDataBytes = 4.0 * 1_073_741_824

  /// Checks every value; the error names the key and what is allowed.
  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError {
      ConfigurationError(key: key, message: message)
    }
    if let problem = task.problem(length: length) { throw fail("task", problem) }
    if length < 2 { throw fail("length", "must be at least 2 steps, got \(length)") }
    if trainSequences < 1 || testSequences < 1 {
      throw fail("trainSequences", "train and test sequences must be at least 1")
    }
    if hidden < 1 || hidden > 4096 { throw fail("hidden", "must be in 1…4096, got \(hidden)") }
    if !(gain >= 0 && gain.isFinite) {
      throw fail("gain", "must be a finite number ≥ 0, got \(gain)")
    }
    if !(learningRate > 0 && learningRate.isFinite) {
      throw fail("learningRate", "must be a positive number, got \(learningRate)")
    }
    if batchSize < 1 { throw fail("batchSize", "must be at least 1, got \(batchSize)") }
    if epochs < 1 || epochs > TrainingConfiguration.Limits.epochs {
      throw fail(
        "epochs", "must be in 1…\(TrainingConfiguration.Limits.epochs), got \(epochs)")
    }
    // The sequences are held in memory as Float (inputs and targets per step); refuse what
    // cannot fit rather than fail mid-run.
    let width = Double(task.inputDimension + task.heads)
    let bytes = 4 * width * Double(length) * (Double(trainSequences) + Double(testSequences))
    if bytes > Self.maximumDataBytes {
      throw fail(
        "trainSequences",
        String(
          format:
            "%d train and %d test sequences of %d steps need about %.1f GiB; at most %.0f GiB are allowed",
          trainSequences, testSequences, length, bytes / 1_073_741_824,
          Self.maximumDataBytes / 1_073_741_824))
    }
    if let truncation, truncation < 1 {
      throw fail(
        "truncation", "must be at least 1 step (or absent for full BPTT), got \(truncation)")
    }
    if let gradientClip, !(gradientClip > 0 && gradientClip.isFinite) {
      throw fail("gradientClip", "must be a positive number, got \(gradientClip)")
    }
    if let problem = regularization.problem {
      throw fail("regularization.\(problem.key)", problem.message)
    }
  }
}

import Data
import Foundation
import Runner
import Steering
import Tensors

/// Trained RNNs with and without recurrent spectral regularisation on memory tasks, several
/// seeds per cell (SPEC §7 protocol 5, third part). Seeds pair across conditions: seed k has
/// the same initial network and batch order in every condition; the sequences are the same for
/// every run of a task.
public struct RecurrentProtocol: Codable, Hashable, Sendable {
  /// A named change of the base run's spectral control (the first is the baseline).
  public struct Condition: Codable, Hashable, Sendable {
    public var name: String
    public var regularization: RecurrentRegularization
    public init(name: String, regularization: RecurrentRegularization) {
      self.name = name
      self.regularization = regularization
    }
  }
  /// A named task with its sequence length.
  public struct Task: Codable, Hashable, Sendable {
    public var name: String
    public var task: SequenceTask
    public var length: Int
    public init(name: String, task: SequenceTask, length: Int) {
      self.name = name
      self.task = task
      self.length = length
    }
  }

  public var base: RecurrentTrainingConfiguration
  public var conditions: [Condition]
  public var tasks: [Task]
  public var seeds: [UInt64]

  /// The default comparison: no control; penalties `λ (m − 1)²` on the spectral radius and on
  /// σ_max; and an adaptive spectral-radius target driven by the recurrent χ₁ (rate 0.1 every
  /// 2 epochs). λ = 0.1 throughout.
  public static let standardConditions: [Condition] = [
    Condition(name: "none", regularization: .none),
    Condition(
      name: "radius-1",
      regularization: RecurrentRegularization(
        kind: .penalty, measure: .spectralRadius, weight: 0.1, target: 1)),
    Condition(
      name: "sigma-max-1",
      regularization: RecurrentRegularization(
        kind: .penalty, measure: .sigmaMax, weight: 0.1, target: 1)),
    Condition(
      name: "adaptive-radius",
      regularization: RecurrentRegularization(
        kind: .penalty, measure: .spectralRadius, weight: 0.1, target: 1,
        adaptation: AdaptiveTargetRule(rate: 0.1, every: 2, minimum: 0.25, maximum: 4))),
  ]

  public init(
    base: RecurrentTrainingConfiguration = RecurrentTrainingConfiguration(),
    conditions: [Condition] = Self.standardConditions,
    tasks: [Task] = [
      Task(name: "recall-1to40", task: .delayedRecall(lags: Array(1...40), symbols: 4), length: 60),
      Task(name: "parity-8", task: .temporalParity(window: 8), length: 40),
      Task(name: "narma10", task: .narma10(burnIn: 20), length: 60),
    ],
    seeds: [UInt64] = Array(0..<5)
  ) {
    self.base = base
    self.conditions = conditions
    self.tasks = tasks
    self.seeds = seeds
  }

  /// One run of the protocol.
  public struct Run: Sendable {
    public var condition: String
    public var task: String
    public var seed: UInt64
    public var configuration: RecurrentTrainingConfiguration
    /// `<task>/<condition>/seed-<k>`.
    public var path: String { "\(task)/\(condition)/seed-\(seed)" }
  }

  /// Every run, task by task, condition by condition, seed by seed.
  public var runs: [Run] {
    tasks.flatMap { task in
      conditions.flatMap { condition in
        seeds.map { seed in
          var c = base
          c.task = task.task
          c.length = task.length
          c.regularization = condition.regularization
          c.seed = seed
          return Run(condition: condition.name, task: task.name, seed: seed, configuration: c)
        }
      }
    }
  }
}

/// What the report needs of one finished recurrent run (read back from its directory).
public struct RecurrentRunRecord: Codable, Sendable {
  public var condition: String
  public var task: String
  public var seed: UInt64
  /// "completed" or "diverged".
  public var status: String
  public var divergedEpoch: Int?
  public var metrics: [RecurrentEpochMetrics]
  /// The first Lyapunov exponents of the trained network, driven by its task.
  public var drivenLyapunovSpectrum: [Double]?
  public var drivenLyapunovExponent: Double? { drivenLyapunovSpectrum?.first }
  public var seconds: Double
  public var configuration: RecurrentTrainingConfiguration

  public init(_ run: RecurrentProtocol.Run, _ result: RecurrentTrainingResult) {
    condition = run.condition
    task = run.task
    seed = run.seed
    switch result.status {
    case .diverged(let epoch):
      status = "diverged"
      divergedEpoch = epoch
    default: status = "completed"
    }
    metrics = result.metrics
    drivenLyapunovSpectrum = result.drivenLyapunovSpectrum
    seconds = result.seconds
    configuration = result.configuration
  }
}

extension RecurrentRunRecord {
  /// A record from its parts (a run read back from a results store).
  public init(
    condition: String, task: String, seed: UInt64, status: RunStatus,
    metrics: [RecurrentEpochMetrics], drivenLyapunovSpectrum: [Double]?, seconds: Double,
    configuration: RecurrentTrainingConfiguration
  ) {
    self.condition = condition
    self.task = task
    self.seed = seed
    switch status {
    case .diverged(let epoch):
      self.status = "diverged"
      divergedEpoch = epoch
    default: self.status = "completed"
    }
    self.metrics = metrics
    self.drivenLyapunovSpectrum = drivenLyapunovSpectrum
    self.seconds = seconds
    self.configuration = configuration
  }

  /// Writes the run's directory, a cache of its record for people and other tools:
  /// `record.json` and `metrics.csv`.
  public func write(to path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    var csv =
      "epoch,train_loss,test_loss,test_accuracy,test_nrmse,spectral_radius,sigma_max,chi1,target\n"
    func f(_ x: Double?) -> String { x.map { String($0) } ?? "" }
    for m in metrics {
      csv +=
        "\(m.epoch),\(m.trainLoss),\(m.testLoss),\(f(m.testAccuracy)),\(f(m.testNRMSE)),\(m.spectralRadius),\(m.sigmaMax),\(m.chi1),\(f(m.target))\n"
    }
    try csv.write(toFile: "\(path)/metrics.csv", atomically: true, encoding: .utf8)
    try JSONEncoder.forRuns.encode(self).write(
      to: URL(fileURLWithPath: "\(path)/record.json"), options: .atomic)
  }
}

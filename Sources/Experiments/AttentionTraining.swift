import Data
import Foundation
import NN
import Statistics
import Steering

/// The `attention` protocol's second part (SPEC §7 protocol 7): small transformers trained on
/// the sequence tasks under each spectral control, several seeds each (``TransformerTaskRun``).
public struct AttentionTraining: Codable, Sendable, Equatable {
  public var tasks: [AttentionTask]
  public var controls: [AttentionSpectralControl]
  public var seeds: Int
  /// Sizes, steps and rates every run shares (its task, control and seed are replaced).
  public var template: TransformerTaskRun

  public init(
    tasks: [AttentionTask], controls: [AttentionSpectralControl], seeds: Int,
    template: TransformerTaskRun
  ) {
    self.tasks = tasks
    self.controls = controls
    self.seeds = seeds
    self.template = template
  }

  /// The controls compared: none (the baseline), the query–key penalty with λ = 10⁻³ and
  /// σReparam.
  public static let standardControls: [AttentionSpectralControl] = [
    .none, .queryKeyPenalty(strength: 1e-3), .sigmaReparam,
  ]

  /// Induction, reverse and the toy sum; two layers of width 64 with 4 heads, 16 tokens from
  /// 16 (toy sum: 8-dimensional vectors), 1500 Adam steps of 32 sequences, 5 seeds.
  public static func full() -> AttentionTraining {
    AttentionTraining(
      tasks: [.induction, .reverse, .toySum], controls: standardControls, seeds: 5,
      template: TransformerTaskRun(task: .induction, seed: 1))
  }

  /// The same tasks and controls at width 32, 8 tokens, 200 steps, 2 seeds (seconds).
  public static func quick() -> AttentionTraining {
    AttentionTraining(
      tasks: [.induction, .reverse, .toySum], controls: standardControls, seeds: 2,
      template: TransformerTaskRun(
        task: .induction, vocabulary: 8, dimension: 4, length: 8, width: 32, heads: 4,
        depth: 2, steps: 200, batch: 32, recordEvery: 50, testCount: 64, seed: 1))
  }

  /// Task × control × seed, in that order; seed k + 1 draws the same model and data for
  /// every control.
  public var runs: [TransformerTaskRun] {
    tasks.flatMap { task in
      controls.flatMap { control in
        (0..<seeds).map { k in
          var run = template
          run.task = task
          run.control = control
          run.seed = UInt64(k) + 1
          return run
        }
      }
    }
  }

  public func validate() throws {
    guard (1...1000).contains(seeds) else {
      throw ConfigurationError(key: "training.seeds", message: "must be in 1…1000, got \(seeds)")
    }
    guard !tasks.isEmpty, !controls.isEmpty else {
      throw ConfigurationError(key: "training", message: "needs at least one task and one control")
    }
    for run in runs { try run.validate() }
  }
}

/// What the trained part measured: every run with its result (`nil` for a run that failed).
public struct AttentionTrainingSummary: Sendable {
  public var definition: AttentionTraining
  public var results: [(run: TransformerTaskRun, result: TransformerTaskRun.Result?)]

  public init(
    definition: AttentionTraining,
    results: [(run: TransformerTaskRun, result: TransformerTaskRun.Result?)]
  ) {
    self.definition = definition
    self.results = results
  }

  public func results(_ task: AttentionTask, _ control: AttentionSpectralControl)
    -> [(run: TransformerTaskRun, result: TransformerTaskRun.Result?)]
  {
    results.filter { $0.run.task == task && $0.run.control == control }
  }

  /// A per-snapshot quantity over training, mean with a 95 % interval over seeds, at every
  /// recorded step (a run that diverged counts at the steps it recorded, its last one at the
  /// step it stopped).
  public func curve(
    _ task: AttentionTask, _ control: AttentionSpectralControl,
    _ value: (TransformerTaskRun.Snapshot) -> Double
  ) -> (steps: [Int], values: [MeanInterval]) {
    let snapshots = results(task, control).compactMap { $0.result?.snapshots }.joined()
    let steps = Set(snapshots.map(\.step)).sorted()
    return (
      steps,
      steps.map { step in
        MeanInterval(snapshots.filter { $0.step == step }.map(value).filter(\.isFinite))
      }
    )
  }

  /// Mean over layers of the attention entropy in a snapshot.
  public static func meanEntropy(_ snapshot: TransformerTaskRun.Snapshot) -> Double {
    snapshot.entropy.isEmpty ? .nan : snapshot.entropy.reduce(0, +) / Double(snapshot.entropy.count)
  }

  /// A number per run that the comparison table shows for each task.
  public struct Metric: Sendable {
    public var name: String
    public var format: String
    public var higherIsBetter: Bool?
    public var value: @Sendable (TransformerTaskRun.Result) -> Double?
  }

  /// The final score, attention entropy (mean over layers), the largest σ_max of a query–key
  /// form, the Jacobian's σ_max and the mean heavy-tailed α over the block weight matrices.
  public static let metrics: [Metric] = [
    Metric(name: "held-out score", format: "%.3f", higherIsBetter: true) { $0.finalScore },
    Metric(name: "attention entropy (nats)", format: "%.2f", higherIsBetter: nil) {
      $0.snapshots.last.map(AttentionTrainingSummary.meanEntropy)
    },
    Metric(name: "max σ_max(W_Q,hᵀ W_K,h)", format: "%.2f", higherIsBetter: nil) {
      $0.snapshots.last?.queryKeySigmaMax.max()
    },
    Metric(name: "Jacobian σ_max", format: "%.2f", higherIsBetter: nil) { $0.finalJacobian.first },
    Metric(name: "mean α of the weights", format: "%.2f", higherIsBetter: nil) { r in
      let alphas = r.weights.compactMap(\.alpha)
      return alphas.isEmpty ? nil : alphas.reduce(0, +) / Double(alphas.count)
    },
  ]

  /// Each run's value of a metric, for the comparison builder (diverged runs marked).
  public func values(
    _ task: AttentionTask, _ control: AttentionSpectralControl, metric: Int
  ) -> [SeededValue] {
    results(task, control).map { run, result in
      SeededValue(
        seed: run.seed, value: result.flatMap { Self.metrics[metric].value($0) },
        diverged: result?.diverged ?? false)
    }
  }

  /// Plain sentences: per task, each control's final score and entropy against no control.
  public func verdicts() -> [String] {
    definition.tasks.map { task in
      let parts = definition.controls.map { control -> String in
        let score = MeanInterval(
          values(task, control, metric: 0).compactMap(\.usable))
        let entropy = MeanInterval(values(task, control, metric: 1).compactMap(\.usable))
        let diverged = values(task, control, metric: 0).filter(\.diverged).count
        return String(
          format: "%@ %.3f ± %.3f (entropy %.2f)%@", control.label, score.mean, score.halfWidth,
          entropy.mean, diverged > 0 ? ", \(diverged) diverged" : "")
      }
      return "\(task.rawValue) (\(task.scoreName)): " + parts.joined(separator: "; ") + "."
    }
  }
}

extension AttentionTask {
  /// What the held-out score of the task is.
  public var scoreName: String { isTokens ? "held-out accuracy" : "held-out R²" }
}

import Data
import Indicators
import NN
import Steering

/// SPEC §7 protocol 2, `asisr`: does steering toward criticality — adaptive spectral targets
/// (ASISR), a criticality-driven learning rate, depth-dependent (RG-flow) targets, a Jacobian χ₁
/// penalty — train better, faster or more robustly than plain training and the usual
/// regularisers? Every condition × task × seed, plus the fixed-τ penalty over a range of τ for
/// the outcome-vs-τ curves. Runs go through a results store, so the protocol resumes.
///
/// Base network: a deep ReLU MLP (8 hidden layers of 64, He initialisation), Adam at 10⁻³,
/// mini-batch 64; indicators every 10 epochs; robustness (noise σ ∈ {0.05, 0.1, 0.2}, FGSM
/// ε ∈ {0.01, 0.05, 0.1}) at the end. Conditions (λ = 0.1 for every spectral penalty):
///
/// | name | what changes |
/// | --- | --- |
/// | none | nothing (the baseline) |
/// | fixed-tau | σ_max penalty toward τ (τ = 1 in the tables; the curve sweeps τ) |
/// | layerwise | τ_l from 1.5 (first hidden layer) down to 0.8 (last), evenly spaced |
/// | rg-flow | τ_l = 1.2·0.9^l |
/// | adaptive | ASISR: τ₀ = 1, ``AdaptiveTargetRule`` defaults (K = 5, η = 0.1) |
/// | critical-lr | lr = 10⁻³·(\|σ̄ − 1\| + 0.1)^−0.5 clipped to [10⁻⁵, 10⁻²] |
/// | spectral-norm | W/σ(W) in every hidden layer |
/// | weight-decay | AdamW, decay 0.01 |
/// | dropout | rate 0.1 |
/// | batch-norm | batch normalisation before each activation |
/// | jacobian-chi1 | λ_J Σ (χ̂₁ − 1)², λ_J = 0.1 |
public struct AsisrProtocol: Sendable {
  /// A named change of the base configuration.
  public struct Condition: Sendable {
    public var name: String
    public var apply: @Sendable (inout TrainingConfiguration) -> Void
  }

  /// A named data set.
  public struct Task: Sendable {
    public var name: String
    public var data: DataConfiguration
  }

  public var name: String
  public var base: TrainingConfiguration
  public var conditions: [Condition]
  public var tasks: [Task]
  /// τ values of the outcome-vs-τ curves (the fixed-τ condition at each).
  public var curveTaus: [Double]
  public var seeds: [UInt64]

  /// The full protocol: every condition and task, 10 seeds, 100 epochs.
  public static func full() -> AsisrProtocol {
    AsisrProtocol(
      name: "asisr", base: baseConfiguration(epochs: 100), conditions: allConditions(),
      tasks: allTasks(), curveTaus: [0.5, 0.8, 1.0, 1.2, 1.5, 2.0],
      seeds: (0..<10).map(UInt64.init))
  }

  /// The quick protocol: every condition, on two tasks (moons and teacher–student), 3 seeds,
  /// 30 epochs, the τ curve at three τ.
  public static func quick() -> AsisrProtocol {
    let tasks = allTasks().filter { ["moons", "teacher-student"].contains($0.name) }
    return AsisrProtocol(
      name: "asisr-quick", base: baseConfiguration(epochs: 30), conditions: allConditions(),
      tasks: tasks, curveTaus: [0.5, 1.0, 2.0], seeds: [0, 1, 2])
  }

  static func baseConfiguration(epochs: Int) -> TrainingConfiguration {
    var base = TrainingConfiguration(
      hidden: Array(repeating: 64, count: 8), epochs: epochs,
      indicators: IndicatorOptions(every: 10, boundaryResolution: 128))
    base.robustness = RobustnessOptions()
    return base
  }

  static func penalty(_ targets: SpectralTargets) -> RegularizationConfiguration {
    RegularizationConfiguration(kind: .spectralPenalty, weight: 0.1, targets: targets)
  }

  static func allConditions() -> [Condition] {
    [
      Condition(name: "none") { _ in },
      Condition(name: "fixed-tau") { $0.regularization = penalty(.fixed(1)) },
      Condition(name: "layerwise") { c in
        let n = c.hidden.count
        c.regularization = penalty(
          .layerwise(
            (0..<n).map { l in n == 1 ? 1.5 : 1.5 - 0.7 * Double(l) / Double(n - 1) }))
      },
      Condition(name: "rg-flow") { $0.regularization = penalty(.rgFlow(tau0: 1.2, ratio: 0.9)) },
      Condition(name: "adaptive") { $0.regularization = penalty(.adaptive(tau0: 1)) },
      Condition(name: "critical-lr") { $0.criticalLearningRate = CriticalLearningRate() },
      Condition(name: "spectral-norm") {
        $0.regularization = RegularizationConfiguration(kind: .spectralNorm)
      },
      Condition(name: "weight-decay") {
        $0.optimizer = OptimizerConfiguration(kind: .adamw, weightDecay: 0.01)
      },
      Condition(name: "dropout") { $0.dropout = 0.1 },
      Condition(name: "batch-norm") { $0.normalization = .batch },
      Condition(name: "jacobian-chi1") {
        $0.regularization = RegularizationConfiguration(jacobianWeight: 0.1)
      },
    ]
  }

  static func allTasks() -> [Task] {
    [
      Task(name: "moons", data: DataConfiguration(kind: .moons)),
      Task(name: "circles", data: DataConfiguration(kind: .circles)),
      Task(name: "spirals", data: DataConfiguration(kind: .spirals)),
      Task(
        name: "teacher-student",
        data: DataConfiguration(kind: .teacherStudent, count: 2000, dimension: 32)),
      Task(
        name: "power-law",
        data: DataConfiguration(kind: .powerLaw, count: 2000, dimension: 32, alpha: 1)),
    ]
  }

  /// Every run with the axis values that define it (`condition`, `task`, `tau` for the fixed-τ
  /// penalty, `seed`), condition-major. The fixed-τ condition runs at every curve τ (τ = 1 is
  /// the tables' fixed-τ row).
  public var runs: [(configuration: TrainingConfiguration, assignments: [String: String])] {
    var runs: [(TrainingConfiguration, [String: String])] = []
    for condition in conditions {
      // τ = 1 is always among the fixed-τ runs: it is the tables' fixed-tau row.
      let taus: [Double?] =
        condition.name == "fixed-tau" ? Array(Set(curveTaus + [1])).sorted() : [nil]
      for task in tasks {
        for tau in taus {
          var configuration = base
          configuration.data = task.data
          condition.apply(&configuration)
          var assignments = ["condition": condition.name, "task": task.name]
          if let tau {
            configuration.regularization.targets = .fixed(tau)
            assignments["tau"] = tau.compactText
          }
          for seed in seeds {
            configuration.seed = seed
            assignments["seed"] = "\(seed)"
            runs.append((configuration, assignments))
          }
        }
      }
    }
    return runs
  }
}

/// One finished run of a multi-condition protocol, as a report reads it.
public struct ProtocolRun: Sendable {
  public var condition: String
  public var task: String
  /// The fixed target τ of a fixed-τ run.
  public var tau: Double?
  public var seed: UInt64
  /// `completed` or `diverged`.
  public var status: String
  public var metrics: [EpochMetrics]
  public var summary: RunSummary?

  public init(
    condition: String, task: String, tau: Double?, seed: UInt64, status: String,
    metrics: [EpochMetrics], summary: RunSummary?
  ) {
    self.condition = condition
    self.task = task
    self.tau = tau
    self.seed = seed
    self.status = status
    self.metrics = metrics
    self.summary = summary
  }
}

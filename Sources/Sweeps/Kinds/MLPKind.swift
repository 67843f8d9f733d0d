import Data
import Experiments
import Indicators
import NN
import Steering

/// Multilayer perceptrons trained by ``Experiments/train(_:train:test:shouldStop:onEpoch:)``:
/// the seed experiment's runs. The configuration is ``TrainingConfiguration``; the store keeps
/// its typed per-epoch rows (with indicator snapshots) and its ``RunSummary``.
public enum MLPKind: ExperimentKind {
  public static let name = "mlp"
  public static let about = "a multilayer perceptron trained on a data set"
  public static var defaults: TrainingConfiguration { TrainingConfiguration() }

  public static var complete: TrainingConfiguration {
    var full = TrainingConfiguration(
      indicators: IndicatorOptions(), criticalLearningRate: CriticalLearningRate(),
      robustness: RobustnessOptions())
    full.regularization.adaptation = AdaptiveTargetRule()
    full.regularization.jacobianWeight = 0.5
    full.regularization.powerIterations = 1
    full.recordDynamics = true
    full.data.path = ""
    full.data.labelsPath = ""
    full.data.testPath = ""
    full.data.testLabelsPath = ""
    full.data.teacherWidth = 64
    full.data.parityBits = 3
    full.indicators?.boundaryWindow = PlaneWindow(
      xMin: 0, xMax: 1, yMin: 0, yMax: 1, resolution: 256)
    return full
  }

  /// Every target form's keys are allowed under regularization.targets.
  public static func adjustSchema(_ tree: inout [String: Any]) {
    var regularization = tree["regularization"] as? [String: Any] ?? [:]
    regularization["targets"] = [
      "kind": "fixed", "tau": 1.0, "taus": [1.0], "tau0": 1.0, "ratio": 1.0,
    ]
    tree["regularization"] = regularization
  }

  public static var choices: [String: [String]] {
    [
      "data.kind": DatasetKind.allCases.map(\.rawValue),
      "data.task": TaskKind.allCases.map(\.rawValue),
      "activation": Activation.allCases.map(\.rawValue),
      "initialization": Initialization.allCases.map(\.rawValue),
      "normalization": NormalizationKind.allCases.map(\.rawValue),
      "optimizer.kind": OptimizerKind.allCases.map(\.rawValue),
      "schedule.kind": LearningRateSchedule.Kind.allCases.map(\.rawValue),
      "regularization.kind": RegularizationConfiguration.Kind.allCases.map(\.rawValue),
      "regularization.targets.kind": ["fixed", "layerwise", "rg-flow", "adaptive"],
    ]
  }

  public static var optionalParts: [String: TrainingConfiguration] {
    [
      "indicators": TrainingConfiguration(indicators: IndicatorOptions()),
      "criticalLearningRate": TrainingConfiguration(criticalLearningRate: CriticalLearningRate()),
      "robustness": TrainingConfiguration(robustness: RobustnessOptions()),
      "regularization.adaptation": TrainingConfiguration(
        regularization: RegularizationConfiguration(adaptation: AdaptiveTargetRule())),
    ]
  }

  public static func validate(_ configuration: TrainingConfiguration) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: TrainingConfiguration, context: RunContext) throws
    -> RunOutcome?
  {
    let data = try context.cached(configuration.data) { try configuration.data.load() }
    let result = train(
      configuration, train: data.train, test: data.test, shouldStop: context.shouldStop,
      onEpoch: { row in
        context.heartbeat()
        context.epoch(row.testAccuracy.map { ["testAccuracy": $0] } ?? [:])
      })
    if case .interrupted = result.status { return nil }
    if let directory = context.artifacts { try RunDirectory.write(result, to: directory) }
    return RunOutcome(result)
  }

  public static let reportColumns = [
    ReportColumn(
      "finalTestAccuracy", title: "test accuracy (%)", format: "%.2f", higherIsBetter: true,
      scale: 100),
    ReportColumn("finalTestLoss", title: "test loss", format: "%.4f", higherIsBetter: false),
  ]
}

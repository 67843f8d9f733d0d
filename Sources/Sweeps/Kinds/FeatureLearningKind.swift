import Data
import Experiments
import Foundation

extension FeatureLearningRun: SeededConfiguration {}

/// One run of the sample-complexity protocol (``FeatureLearningRun``): a two-layer erf network
/// sampled by Langevin dynamics on a Hermite single-index target beside its Gaussian process on
/// the same points. The summary holds the final order parameters; the detail the whole result
/// (every snapshot) as JSON. A run whose parameters left the floating-point range is recorded
/// as diverged at its last finite step.
public enum FeatureLearningKind: ExperimentKind {
  public static let name = "feature-learning"
  public static let about =
    "a two-layer erf network sampled by Langevin dynamics on a Hermite target beside its GP"
  public static var defaults: FeatureLearningRun { SampleComplexityProtocol.quick().networkRuns[0] }
  public static var complete: FeatureLearningRun { defaults }
  public static var alternatives: [String: [any Encodable]] {
    ["target": [HermiteTarget.hermite(order: 3), HermiteTarget.mixed(epsilon: 0.1)]]
  }

  public static func validate(_ configuration: FeatureLearningRun) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: FeatureLearningRun, context: RunContext) throws
    -> RunOutcome?
  {
    guard
      let result = try configuration.run(
        shouldStop: context.shouldStop, heartbeat: context.heartbeat)
    else { return nil }
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    var summary: [String: Double] = [
      "gaussianProcessOverlap": result.gaussianProcessOverlap,
      "gaussianProcessError": result.gaussianProcessError,
    ]
    if let final = result.final {
      summary["overlap"] = final.overlap
      summary["testError"] = final.testError
      summary["linearError"] = final.linearError
      summary["cubicError"] = final.cubicError
      summary["specialised"] = Double(final.specialised)
    }
    return RunOutcome(
      end: result.diverged ? .diverged(epoch: result.snapshots.last?.step ?? 0) : .completed,
      summary: summary.filter { $0.value.isFinite },
      detail: String(decoding: try encoder.encode(result), as: UTF8.self),
      seconds: result.seconds)
  }

  public static let reportColumns = [
    ReportColumn("overlap", title: "overlap A", format: "%.3f", higherIsBetter: true),
    ReportColumn(
      "gaussianProcessOverlap", title: "GP overlap", format: "%.3f", higherIsBetter: true),
    ReportColumn("specialised", title: "specialised neurons", format: "%.1f", higherIsBetter: true),
  ]
}

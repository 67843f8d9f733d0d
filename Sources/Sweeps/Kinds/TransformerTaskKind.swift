import Data
import Experiments
import Foundation
import Steering

extension TransformerTaskRun: SeededConfiguration {}

/// One small transformer trained on a sequence task under a spectral control
/// (``TransformerTaskRun``). The summary holds the final score, attention entropy, σ_max of the
/// query–key forms and of the Jacobian; the detail the whole result (snapshots, per-head
/// measures, weight spectra, Jacobian spectra, attention maps) as JSON. A run whose loss
/// became non-finite is recorded as diverged at that step, with what it measured until then.
public enum TransformerTaskKind: ExperimentKind {
  public static let name = "transformer-task"
  public static let about =
    "a small transformer trained on a sequence task (copy, reverse, induction, toy-sum) under a spectral control"
  public static var defaults: TransformerTaskRun { AttentionTraining.quick().runs[0] }
  public static var complete: TransformerTaskRun { defaults }
  public static var choices: [String: [String]] {
    ["task": AttentionTask.allCases.map(\.rawValue)]
  }
  public static var alternatives: [String: [any Encodable]] {
    [
      "control": [
        AttentionSpectralControl.none, AttentionSpectralControl.queryKeyPenalty(strength: 0.001),
        AttentionSpectralControl.sigmaReparam,
      ]
    ]
  }

  public static func validate(_ configuration: TransformerTaskRun) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: TransformerTaskRun, context: RunContext) throws
    -> RunOutcome?
  {
    guard
      let result = try configuration.run(
        shouldStop: context.shouldStop, heartbeat: context.heartbeat)
    else { return nil }
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    let last = result.snapshots.last
    let summary: [String: Double] = [
      "score": result.finalScore,
      "entropy": last.map(AttentionTrainingSummary.meanEntropy) ?? .nan,
      "queryKeySigmaMax": last?.queryKeySigmaMax.max() ?? .nan,
      "jacobianSigmaMax": result.finalJacobian.first ?? .nan,
    ]
    return RunOutcome(
      end: result.diverged ? .diverged(epoch: last?.step ?? 0) : .completed,
      summary: summary.filter { $0.value.isFinite },
      detail: String(decoding: try encoder.encode(result), as: UTF8.self),
      seconds: result.seconds)
  }

  public static let reportColumns = [
    ReportColumn("score", title: "held-out score", format: "%.3f", higherIsBetter: true),
    // Higher entropy: attention not collapsed; lower σ_max: the query–key forms held in check.
    ReportColumn("entropy", title: "attention entropy", format: "%.2f", higherIsBetter: true),
    ReportColumn(
      "queryKeySigmaMax", title: "max σ_max(W_Q,hᵀ W_K,h)", format: "%.2f", higherIsBetter: false),
  ]
}

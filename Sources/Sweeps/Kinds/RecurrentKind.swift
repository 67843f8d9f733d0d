import Data
import Experiments
import Foundation
import NN
import Steering

/// What an RNN run's record keeps beyond its named values: the per-head test accuracies of
/// every epoch (several heads: delayed recall at several lags) and the driven Lyapunov
/// spectrum of the trained network.
public struct RecurrentRunDetail: Codable, Sendable, Equatable {
  public var testAccuracyPerHead: [[Double]?]
  public var drivenLyapunovSpectrum: [Double]?
}

/// Recurrent networks trained on sequence tasks by
/// ``Experiments/trainRecurrent(_:shouldStop:onEpoch:)`` (truncated BPTT, optional recurrent
/// spectral control). Per epoch: losses, accuracy or NRMSE, spectral radius, σ_max, χ₁ and the
/// penalty's target; the summary adds the driven Lyapunov exponent of the trained network;
/// the detail (``RecurrentRunDetail``) the per-head accuracies and the Lyapunov spectrum.
public enum RecurrentKind: ExperimentKind {
  public static let name = "rnn"
  public static let about = "a recurrent network trained on a sequence task"
  public static var defaults: RecurrentTrainingConfiguration { RecurrentTrainingConfiguration() }

  public static var complete: RecurrentTrainingConfiguration {
    RecurrentTrainingConfiguration(
      truncation: 10, gradientClip: 1,
      regularization: RecurrentRegularization(adaptation: AdaptiveTargetRule()))
  }

  public static var choices: [String: [String]] {
    [
      "optimizer.kind": OptimizerKind.allCases.map(\.rawValue),
      "regularization.kind": RecurrentRegularization.Kind.allCases.map(\.rawValue),
      "regularization.measure": RecurrentSpectralMeasure.allCases.map(\.rawValue),
    ]
  }

  public static var alternatives: [String: [any Encodable]] {
    [
      "task": [
        SequenceTask.delayedRecall(lags: [5], symbols: 2), SequenceTask.temporalParity(window: 3),
        SequenceTask.narma10(burnIn: 50),
      ]
    ]
  }

  public static var optionalParts: [String: RecurrentTrainingConfiguration] {
    [
      "regularization.adaptation": RecurrentTrainingConfiguration(
        regularization: RecurrentRegularization(adaptation: AdaptiveTargetRule()))
    ]
  }

  public static func validate(_ configuration: RecurrentTrainingConfiguration) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: RecurrentTrainingConfiguration, context: RunContext)
    throws -> RunOutcome?
  {
    let result = trainRecurrent(
      configuration, shouldStop: context.shouldStop, onEpoch: { _ in context.heartbeat() })
    let end: RunOutcome.End
    switch result.status {
    case .interrupted: return nil
    case .diverged(let epoch): end = .diverged(epoch: epoch)
    case .completed: end = .completed
    }
    let epochs = result.metrics.map { m in
      var values = [
        "trainLoss": m.trainLoss, "testLoss": m.testLoss, "spectralRadius": m.spectralRadius,
        "sigmaMax": m.sigmaMax, "chi1": m.chi1, "learningRate": m.learningRate,
      ]
      if let a = m.testAccuracy { values["testAccuracy"] = a }
      if let e = m.testNRMSE { values["testNRMSE"] = e }
      if let t = m.target { values["target"] = t }
      return RecordedEpoch(epoch: m.epoch, values: values)
    }
    var summary: [String: Double] = ["epochs": Double(result.metrics.count)]
    if let last = epochs.last?.values {
      for key in ["testLoss", "testAccuracy", "testNRMSE", "spectralRadius", "chi1"] {
        if let value = last[key] {
          summary["final" + key.prefix(1).uppercased() + key.dropFirst()] = value
        }
      }
    }
    if let lyapunov = result.drivenLyapunovExponent { summary["drivenLyapunovExponent"] = lyapunov }
    let detail = RecurrentRunDetail(
      testAccuracyPerHead: result.metrics.map(\.testAccuracyPerHead),
      drivenLyapunovSpectrum: result.drivenLyapunovSpectrum)
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    return RunOutcome(
      end: end, epochs: epochs, summary: summary,
      detail: String(decoding: try encoder.encode(detail), as: UTF8.self), seconds: result.seconds)
  }

  public static let reportColumns = [
    ReportColumn(
      "finalTestAccuracy", title: "test accuracy (%)", format: "%.2f", higherIsBetter: true,
      scale: 100),
    ReportColumn("finalTestLoss", title: "test loss", format: "%.4f", higherIsBetter: false),
    ReportColumn(
      "finalSpectralRadius", title: "spectral radius", format: "%.3f", higherIsBetter: false),
  ]
}

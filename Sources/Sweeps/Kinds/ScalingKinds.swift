import Data
import Experiments
import Foundation
import NN
import Theory

extension KernelCurveDraw: SeededConfiguration {}
extension NetworkCurveRun: SeededConfiguration {}

/// The kernel keys every scaling configuration may use: the data set's optional keys present.
private func completeData() -> DataConfiguration {
  var data = DataConfiguration(
    kind: .powerLaw, count: 0, dimension: 64, alpha: 1, task: .regression, seed: 0)
  data.path = ""
  data.labelsPath = ""
  data.testPath = ""
  data.testLabelsPath = ""
  data.teacherWidth = 64
  data.parityBits = 3
  return data
}

private let dataChoices: [String: [String]] = [
  "data.kind": DatasetKind.allCases.map(\.rawValue),
  "data.task": TaskKind.allCases.map(\.rawValue),
]

/// One draw of the scaling protocol's kernel half (``KernelCurveDraw``): NNGP and NTK spectra,
/// exponents, the theory's learning curve and kernel ridge regression's measured one on one
/// data set. The detail holds the draw's result as JSON.
public enum KernelCurveKind: ExperimentKind {
  public static let name = "kernel-curve"
  public static let about =
    "kernel spectra and learning curves (theory and measured) of one data draw"
  public static var defaults: KernelCurveDraw { ScalingProtocol.quick().kernelDraws[0] }
  public static var complete: KernelCurveDraw {
    var draw = defaults
    draw.data = completeData()
    return draw
  }
  public static var choices: [String: [String]] {
    dataChoices.merging([
      "network.activation": Activation.allCases.map(\.rawValue),
      "network.method": NeuralKernel.Method.allCases.map(\.rawValue),
    ]) { a, _ in a }
  }

  public static func validate(_ configuration: KernelCurveDraw) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: KernelCurveDraw, context: RunContext) throws
    -> RunOutcome?
  {
    let clock = ContinuousClock()
    let start = clock.now
    // The draw's LAPACK calls run for minutes without a point to call back from: a thread
    // beats for it (every 2 s; the heartbeat renews the lease once a third of it has passed).
    let done = StopFlag()
    let heartbeat = context.heartbeat
    let beating = Thread {
      while !done.isStopped {
        heartbeat()
        Thread.sleep(forTimeInterval: 2)
      }
    }
    beating.start()
    defer { done.stop() }
    let result = try configuration.run(jobs: 1)
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    return RunOutcome(
      end: .completed,
      summary: [
        "nngpEigenvalueExponent": result.nngp.eigenvalueExponent,
        "nngpTargetExponent": result.nngp.targetExponent,
        "ntkEigenvalueExponent": result.ntk.eigenvalueExponent,
        "ntkTargetExponent": result.ntk.targetExponent,
        "nngpLastError": result.nngp.measured.last ?? .nan,
        "ntkLastError": result.ntk.measured.last ?? .nan,
      ].filter { $0.value.isFinite },
      detail: String(decoding: try encoder.encode(result), as: UTF8.self),
      seconds: (clock.now - start).inSeconds)
  }

  public static let reportColumns = [
    ReportColumn(
      "ntkEigenvalueExponent", title: "b (NTK)", format: "%.3f", higherIsBetter: true),
    ReportColumn("ntkTargetExponent", title: "a (NTK)", format: "%.3f", higherIsBetter: true),
    ReportColumn(
      "ntkLastError", title: "test MSE at largest P", format: "%.4g", higherIsBetter: false),
  ]
}

/// One trained network of the scaling protocol (``NetworkCurveRun``): a centred two-layer
/// network trained to convergence on P points, with NTK ridge regression on the same points.
/// A run whose loss left the floating-point range is recorded as diverged (at its step).
public enum NetworkCurveKind: ExperimentKind {
  public static let name = "network-curve"
  public static let about =
    "a wide two-layer network trained to convergence beside its NTK regression"
  public static var defaults: NetworkCurveRun { ScalingProtocol.quick().networkRuns[0] }
  public static var complete: NetworkCurveRun {
    var run = defaults
    run.data = completeData()
    return run
  }
  public static var choices: [String: [String]] {
    dataChoices.merging(["activation": Activation.allCases.map(\.rawValue)]) { a, _ in a }
  }

  public static func validate(_ configuration: NetworkCurveRun) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: NetworkCurveRun, context: RunContext) throws
    -> RunOutcome?
  {
    guard
      let result = try configuration.run(
        shouldStop: context.shouldStop, heartbeat: context.heartbeat)
    else { return nil }
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    let summary: [String: Double] = [
      "testError": result.testError, "kernelError": result.kernelError,
      "relativeDeviation": result.relativeDeviation, "steps": Double(result.steps),
      "converged": result.converged ? 1 : 0, "gradientRatio": result.gradientRatio,
      "kernelDistance": result.kernelDistance, "parameterChange": result.parameterChange,
    ]
    return RunOutcome(
      end: result.testError.isFinite ? .completed : .diverged(epoch: result.steps),
      summary: summary.filter { $0.value.isFinite },
      detail: String(decoding: try encoder.encode(result), as: UTF8.self),
      seconds: result.seconds)
  }

  public static let reportColumns = [
    ReportColumn("testError", title: "test MSE", format: "%.4g", higherIsBetter: false),
    ReportColumn("kernelError", title: "NTK regression MSE", format: "%.4g", higherIsBetter: false),
    ReportColumn(
      "relativeDeviation", title: "deviation from NTK", format: "%.3f", higherIsBetter: false),
  ]
}

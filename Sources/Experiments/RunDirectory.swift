import Foundation
import Indicators
import NN
import Tensors

/// The summary of a run written to `summary.json`.
public struct RunSummary: Codable, Sendable, Equatable {
  public var status: String
  /// Epoch at which the loss became non-finite, if it did.
  public var divergedAtEpoch: Int?
  public var epochs: Int
  public var parameters: Int
  public var final: EpochMetrics?
  public var bestTestAccuracy: Double?
  public var bestTestAccuracyEpoch: Int?
  public var seconds: Double
  public var epochsPerSecond: Double
  /// Mean power iterations per training step once the loss settled (penalty runs).
  public var powerIterationsPerStep: Double?
  /// The first epoch whose test accuracy reached 95 % of the final test accuracy.
  public var epochsTo95PercentOfFinal: Int?
  /// Accuracy under input noise and FGSM (when measured).
  public var robustness: RobustnessResult?
  /// Training-dynamics measures (when recorded).
  public var dynamics: TrainingDynamicsSummary?
  /// NC1 of the last hidden layer at the end (classification).
  public var neuralCollapse: Double?
  /// The checkpoint the parameters started from, when not drawn from the seed.
  public var initializedFrom: String?

  public init(_ result: TrainingResult) {
    switch result.status {
    case .completed:
      status = "completed"
      divergedAtEpoch = nil
    case .diverged(let epoch):
      status = "diverged"
      divergedAtEpoch = epoch
    case .interrupted:
      status = "interrupted"
      divergedAtEpoch = nil
    }
    epochs = result.metrics.count
    parameters = result.parameterCount
    final = result.metrics.last
    let best = result.metrics.filter { $0.testAccuracy != nil }.max {
      ($0.testAccuracy!, -$0.epoch) < ($1.testAccuracy!, -$1.epoch)
    }
    bestTestAccuracy = best?.testAccuracy
    bestTestAccuracyEpoch = best?.epoch
    seconds = result.seconds
    epochsPerSecond = result.seconds > 0 ? Double(epochs) / result.seconds : 0
    powerIterationsPerStep = result.powerIterationsPerStep
    // A diverged network's last accuracy is that of NaN weights: no time to accuracy.
    epochsTo95PercentOfFinal =
      result.status == .completed ? epochsToReach(fraction: 0.95, of: result.metrics) : nil
    robustness = result.robustness
    dynamics = result.dynamics
    neuralCollapse = result.neuralCollapse
    initializedFrom = result.initializedFrom
  }
}

/// The first epoch whose test accuracy is at least `fraction` of the final test accuracy
/// (`nil` without accuracies).
public func epochsToReach(fraction: Double, of metrics: [EpochMetrics]) -> Int? {
  guard let final = metrics.last?.testAccuracy else { return nil }
  return metrics.first { ($0.testAccuracy ?? -1) >= fraction * final }?.epoch
}

/// Writes a run's files: `config.json` (the resolved configuration), `metrics.csv` (one row
/// per epoch), `metrics.json` (every epoch's metrics with all indicators, which a resumed
/// protocol reads back), `summary.json` and the final parameters as `model.safetensors`.
///
/// `metrics.csv` holds no timings, so that two runs of one configuration give identical bytes.
public enum RunDirectory {
  /// Column names of `metrics.csv`, in order.
  public static let metricsHeader =
    "epoch,train_loss,test_loss,train_accuracy,test_accuracy,learning_rate"

  /// Writes the three files into `directory`, creating it if needed.
  public static func write(_ result: TrainingResult, to directory: String) throws {
    let url = URL(fileURLWithPath: directory, isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    let encoder = JSONEncoder.forRuns
    try encoder.encode(result.configuration).write(to: url.appendingPathComponent("config.json"))
    try metricsCSV(result.metrics).write(
      to: url.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
    try encoder.encode(result.metrics).write(to: url.appendingPathComponent("metrics.json"))
    try SafeTensors.write(
      result.state, to: url.appendingPathComponent("model.safetensors").path,
      metadata: ["format": "pt", "producer": "crit"])
    // The summary last: its presence marks a complete run directory (see ``read(from:)``).
    try encoder.encode(RunSummary(result)).write(to: url.appendingPathComponent("summary.json"))
  }

  /// Writes the parameters after `epoch` to `checkpoints/epoch-NNNN.safetensors` in the run
  /// directory (creating the folder), as `crit train --checkpoint-every` keeps them.
  public static func writeCheckpoint(
    _ state: [String: Tensor<Float>], epoch: Int, to directory: String
  ) throws {
    let folder = URL(fileURLWithPath: directory, isDirectory: true)
      .appendingPathComponent("checkpoints", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let name = "epoch-" + String(repeating: "0", count: max(0, 4 - "\(epoch)".count)) + "\(epoch)"
    try SafeTensors.write(
      state, to: folder.appendingPathComponent(name + ".safetensors").path,
      metadata: ["format": "pt", "producer": "crit", "epoch": "\(epoch)"])
  }

  /// A finished run read back from its directory (`nil` when the directory holds no complete
  /// run: a run interrupted while its files were written has no `summary.json`, or one
  /// written before `metrics.json` existed). Everything but the wall-clock time of the
  /// epochs is as written; the resumed protocol reports the same numbers.
  public static func read(from directory: String) -> TrainingResult? {
    let url = URL(fileURLWithPath: directory, isDirectory: true)
    let decoder = JSONDecoder.forRuns
    guard
      let summaryData = try? Data(contentsOf: url.appendingPathComponent("summary.json")),
      let summary = try? decoder.decode(RunSummary.self, from: summaryData),
      let configData = try? Data(contentsOf: url.appendingPathComponent("config.json")),
      let configuration = try? decoder.decode(TrainingConfiguration.self, from: configData),
      let metricsData = try? Data(contentsOf: url.appendingPathComponent("metrics.json")),
      let metrics = try? decoder.decode([EpochMetrics].self, from: metricsData),
      let stored = try? SafeTensors.read(path: url.appendingPathComponent("model.safetensors").path)
    else { return nil }
    let status: RunStatus
    switch summary.status {
    case "completed": status = .completed
    case "diverged": status = .diverged(epoch: summary.divergedAtEpoch ?? metrics.count)
    default: return nil
    }
    var state: [String: Tensor<Float>] = [:]
    for tensor in stored {
      state[tensor.name] = Tensor(shape: tensor.shape, scalars: tensor.values.map(Float.init))
    }
    return TrainingResult(
      configuration: configuration, metrics: metrics, status: status,
      parameterCount: summary.parameters, state: state, seconds: summary.seconds,
      powerIterationsPerStep: summary.powerIterationsPerStep, robustness: summary.robustness,
      dynamics: summary.dynamics, neuralCollapse: summary.neuralCollapse)
  }

  /// The text of `metrics.csv`. Numbers use Swift's shortest round-tripping form; a missing
  /// value (accuracy of a regression, an indicator on an epoch without one) is an empty field.
  /// Indicator columns follow the base columns when any row has indicators; per-layer ones
  /// end in `_l0`, `_l1`, … (input side first; the readout is the last layer).
  public static func metricsCSV(_ rows: [EpochMetrics]) -> String {
    let layers = rows.compactMap { $0.indicators?.layers.count }.max() ?? 0
    let hasIndicators = rows.contains { $0.indicators != nil }
    let targetLayers = rows.compactMap { $0.targets?.count }.max() ?? 0
    var header = metricsHeader
    if targetLayers > 0 {
      header += "," + (0..<targetLayers).map { "tau_l\($0)" }.joined(separator: ",")
    }
    if hasIndicators { header += "," + indicatorColumns(layers: layers).joined(separator: ",") }
    var text = header + "\n"
    for row in rows {
      var fields = [
        "\(row.epoch)", "\(row.trainLoss)", "\(row.testLoss)",
        row.trainAccuracy.map { "\($0)" } ?? "", row.testAccuracy.map { "\($0)" } ?? "",
        "\(row.learningRate)",
      ]
      if targetLayers > 0 {
        fields += (0..<targetLayers).map { l in
          row.targets.flatMap { l < $0.count ? "\($0[l])" : nil } ?? ""
        }
      }
      if hasIndicators {
        let values = row.indicators.map { indicatorValues($0, layers: layers) }
        fields +=
          values?.map { $0.map { "\($0)" } ?? "" }
          ?? Array(repeating: "", count: indicatorColumns(layers: layers).count)
      }
      text += fields.joined(separator: ",") + "\n"
    }
    return text
  }

  /// Names of the indicator columns for a network with `layers` affine layers.
  public static func indicatorColumns(layers: Int) -> [String] {
    var names: [String] = []
    for l in 0..<layers {
      names += ["sigma_max_l\(l)", "stable_rank_l\(l)"]
      if l < layers - 1 { names += ["dead_rate_l\(l)", "chi1_l\(l)"] }
    }
    return names + [
      "sensitivity_fd", "sensitivity_jacobian", "jacobian_frobenius", "jacobian_sv_mean",
      "jacobian_sv_spread", "depth_growth_exponent", "boundary_dimension",
      "boundary_dimension_se",
    ]
  }

  static func indicatorValues(_ s: IndicatorSnapshot, layers: Int) -> [Double?] {
    var values: [Double?] = []
    for l in 0..<layers {
      let layer = l < s.layers.count ? s.layers[l] : nil
      values += [layer?.spectrum.sigmaMax, layer?.spectrum.stableRank]
      if l < layers - 1 { values += [layer?.deadRate, layer?.chi1] }
    }
    return values + [
      s.sensitivityFiniteDifference, s.sensitivityJacobian, s.jacobianFrobenius,
      s.jacobianSingularMean, s.jacobianSingularSpread, s.depthGrowthExponent,
      s.boundary?.dimension, s.boundary?.standardError,
    ]
  }

}

extension JSONEncoder {
  /// Pretty, key-sorted JSON in which non-finite numbers (a diverged run's loss) are written
  /// as the strings "nan", "inf" and "-inf" instead of failing.
  public static var forRuns: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }
}

extension JSONDecoder {
  /// Reads what ``JSONEncoder/forRuns`` writes.
  public static var forRuns: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }
}

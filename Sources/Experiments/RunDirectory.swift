import Foundation
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

  public init(_ result: TrainingResult) {
    switch result.status {
    case .completed:
      status = "completed"
      divergedAtEpoch = nil
    case .diverged(let epoch):
      status = "diverged"
      divergedAtEpoch = epoch
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
  }
}

/// Writes a run's files: `config.json` (the resolved configuration), `metrics.csv` (one row
/// per epoch) and `summary.json`.
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
    try encoder.encode(RunSummary(result)).write(to: url.appendingPathComponent("summary.json"))
  }

  /// The text of `metrics.csv`. Numbers use Swift's shortest round-tripping form; a missing
  /// accuracy (regression) is an empty field.
  public static func metricsCSV(_ rows: [EpochMetrics]) -> String {
    var text = metricsHeader + "\n"
    for row in rows {
      let fields = [
        "\(row.epoch)", "\(row.trainLoss)", "\(row.testLoss)",
        row.trainAccuracy.map { "\($0)" } ?? "", row.testAccuracy.map { "\($0)" } ?? "",
        "\(row.learningRate)",
      ]
      text += fields.joined(separator: ",") + "\n"
    }
    return text
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

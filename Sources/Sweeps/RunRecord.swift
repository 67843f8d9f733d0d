import Experiments
import Foundation

/// Where a stored run stands. A store keeps the name in its `status` column, the epoch of a
/// divergence in `diverged_epoch` and a failure's message in `message`.
public enum RecordStatus: Sendable, Hashable, CustomStringConvertible {
  case pending
  case running
  case completed
  /// The run's loss or weights became non-finite at this epoch: a result, not an error.
  case diverged(epoch: Int?)
  /// The run could not be carried out (its data would not load, its configuration could not
  /// be decoded); the message says why.
  case failed(message: String)

  /// The name stored in the `status` column.
  public var name: String {
    switch self {
    case .pending: "pending"
    case .running: "running"
    case .completed: "completed"
    case .diverged: "diverged"
    case .failed: "failed"
    }
  }

  /// A result that counts in a comparison (completed or diverged; a failed run is not data).
  public var isResult: Bool {
    switch self {
    case .completed, .diverged: true
    default: false
    }
  }

  public var description: String {
    switch self {
    case .diverged(let epoch?): "diverged at epoch \(epoch)"
    case .failed(let message): "failed: \(message)"
    default: name
    }
  }

  /// The status read back from a store's columns; an unknown name is a failure naming it.
  init(name: String, divergedEpoch: Int?, message: String?) {
    switch name {
    case "pending": self = .pending
    case "running": self = .running
    case "completed": self = .completed
    case "diverged": self = .diverged(epoch: divergedEpoch)
    case "failed": self = .failed(message: message ?? "")
    default: self = .failed(message: "unknown status '\(name)' in the store")
    }
  }

  /// Compares with a status name (`run.status == "completed"`).
  public static func == (status: RecordStatus, name: String) -> Bool { status.name == name }
  public static func != (status: RecordStatus, name: String) -> Bool { status.name != name }
}

/// One epoch of a run as named numbers (`trainLoss`, `testAccuracy`, `chi1`, …). A
/// non-finite value is stored as NULL and read back as NaN.
public struct RecordedEpoch: Sendable, Equatable {
  public var epoch: Int
  public var values: [String: Double]

  public init(epoch: Int, values: [String: Double]) {
    self.epoch = epoch
    self.values = values
  }
}

/// What a finished run hands its store, for every kind of experiment: how it ended, its
/// per-epoch metrics as named columns, a summary of named numbers (the values reports
/// compare), and optionally the kind's own detail as JSON (a trainability frame's pixels).
///
/// An MLP run also carries its ``TrainingResult``; the store then keeps the typed per-epoch
/// rows (with indicator snapshots) and the ``RunSummary`` it kept before generic records.
public struct RunOutcome: Sendable {
  /// How a run ended.
  public enum End: Sendable, Equatable {
    case completed
    case diverged(epoch: Int)
    case failed(message: String)
  }

  public var end: End
  public var epochs: [RecordedEpoch]
  public var summary: [String: Double]
  public var detail: String?
  public var seconds: Double
  /// The MLP trainer's full result (typed rows and summary in the store).
  public var training: TrainingResult?

  public init(
    end: End, epochs: [RecordedEpoch] = [], summary: [String: Double] = [:],
    detail: String? = nil, seconds: Double = 0, training: TrainingResult? = nil
  ) {
    self.end = end
    self.epochs = epochs
    self.summary = summary
    self.detail = detail
    self.seconds = seconds
    self.training = training
  }

  /// An MLP run's outcome: its epochs as named columns and its headline numbers.
  public init(_ result: TrainingResult) {
    switch result.status {
    case .diverged(let epoch): end = .diverged(epoch: epoch)
    default: end = .completed
    }
    epochs = result.metrics.map { RecordedEpoch(epoch: $0.epoch, values: Self.columns(of: $0)) }
    summary = Self.summaryValues(ofMLP: result.metrics)
    detail = nil
    seconds = result.seconds
    training = result
  }

  /// An MLP run's summary numbers: epochs, final train and test loss, final test accuracy.
  static func summaryValues(ofMLP metrics: [EpochMetrics]) -> [String: Double] {
    var summary: [String: Double] = ["epochs": Double(metrics.count)]
    if let last = metrics.last {
      summary["finalTestLoss"] = last.testLoss
      summary["finalTrainLoss"] = last.trainLoss
      if let accuracy = last.testAccuracy { summary["finalTestAccuracy"] = accuracy }
    }
    return summary
  }

  /// The scalar columns of one MLP epoch.
  static func columns(of m: EpochMetrics) -> [String: Double] {
    var values = [
      "trainLoss": m.trainLoss, "testLoss": m.testLoss, "learningRate": m.learningRate,
    ]
    if let a = m.trainAccuracy { values["trainAccuracy"] = a }
    if let a = m.testAccuracy { values["testAccuracy"] = a }
    return values
  }

  /// The status a store records for this outcome.
  var status: RecordStatus {
    switch end {
    case .completed: .completed
    case .diverged(let epoch): .diverged(epoch: epoch)
    case .failed(let message): .failed(message: message)
    }
  }
}

/// Encodes a run's summary numbers as JSON (non-finite numbers as null, keys sorted).
func summaryJSON(_ summary: [String: Double]) -> String {
  let object = summary.mapValues { $0.isFinite ? $0 as Any : NSNull() }
  let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
  return String(decoding: data, as: UTF8.self)
}

/// Decodes summary numbers written by ``summaryJSON(_:)`` (null as NaN); nil for anything
/// else (an MLP run's ``RunSummary``).
func summaryNumbers(_ text: String?) -> [String: Double]? {
  guard let text,
    let numbers = try? JSONDecoder().decode([String: Double?].self, from: Data(text.utf8))
  else { return nil }
  return numbers.mapValues { $0 ?? .nan }
}

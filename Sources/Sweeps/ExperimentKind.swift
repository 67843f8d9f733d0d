import Experiments
import Foundation

/// What a run may ask of the worker running it: whether to stop (Ctrl-C, or the lease was
/// lost), a heartbeat to call once per epoch (it renews the lease), a directory for the files
/// people read beside the store (a run directory with the trained weights), a listener for
/// each epoch's values (a progress bar), and a cache that lives as long as the worker (data
/// sets loaded once for many runs).
public final class RunContext {
  public let shouldStop: @Sendable () -> Bool
  public let heartbeat: @Sendable () -> Void
  /// Where the run writes its files before its outcome is stored, or `nil` for none: a run
  /// finished in the store has its files.
  public let artifacts: String?
  /// Hears each finished epoch's values by name (`testAccuracy`).
  public let epoch: @Sendable ([String: Double]) -> Void
  var cache: [AnyHashable: Any] = [:]

  public init(
    shouldStop: @escaping @Sendable () -> Bool = { false },
    heartbeat: @escaping @Sendable () -> Void = {}, artifacts: String? = nil,
    epoch: @escaping @Sendable ([String: Double]) -> Void = { _ in }
  ) {
    self.shouldStop = shouldStop
    self.heartbeat = heartbeat
    self.artifacts = artifacts
    self.epoch = epoch
  }

  /// The value cached under `key`, made on first use.
  public func cached<T>(_ key: AnyHashable, _ make: () throws -> T) rethrows -> T {
    if let value = cache[key] as? T { return value }
    let value = try make()
    cache[key] = value
    return value
  }
}

/// A number of a run's summary that a sweep's comparison table shows.
public struct ReportColumn: Sendable {
  /// The summary key (`finalTestAccuracy`).
  public var key: String
  public var title: String
  public var format: String
  public var higherIsBetter: Bool
  /// Shown as `scale × value` (100 for a fraction shown in percent).
  public var scale: Double

  public init(
    _ key: String, title: String, format: String = "%.4f", higherIsBetter: Bool,
    scale: Double = 1
  ) {
    self.key = key
    self.title = title
    self.format = format
    self.higherIsBetter = higherIsBetter
    self.scale = scale
  }
}

/// One kind of experiment the results store can hold, sweep and run: its configuration type
/// (Codable; its top level has a `seed`), the schema a configuration file is checked
/// against, and how one run is carried out.
///
/// Every kind is listed in ``ExperimentKinds``; a sweep file names one with `kind:`.
/// A configuration whose top level has a seed (a sweep's `seeds` set it).
public protocol SeededConfiguration {
  var seed: UInt64 { get set }
}

extension TrainingConfiguration: SeededConfiguration {}
extension RecurrentTrainingConfiguration: SeededConfiguration {}

public protocol ExperimentKind: SendableMetatype {
  associatedtype Configuration: Codable & Sendable & SeededConfiguration
  /// The name in sweep files and in the store's `kind` column (`mlp`, `rnn`).
  static var name: String { get }
  /// One line for help and errors.
  static var about: String { get }
  static var defaults: Configuration { get }
  /// A configuration with every optional part present: its keys are the keys a file may use.
  static var complete: Configuration { get }
  /// Allowed names of the keys that take a name.
  static var choices: [String: [String]] { get }
  /// Key paths whose value takes one of several forms (an enum with associated values), an
  /// example of each form. Give real-valued fields non-integer example values.
  static var alternatives: [String: [any Encodable]] { get }
  /// For each optional part (a key path), a configuration in which it holds its defaults:
  /// what a file that switches the part on starts from.
  static var optionalParts: [String: Configuration] { get }
  /// Adjusts the schema tree built from ``complete`` (extra keys allowed somewhere).
  static func adjustSchema(_ tree: inout [String: Any])
  /// Throws ``ConfigurationError`` naming the key of a value that cannot be used.
  static func validate(_ configuration: Configuration) throws
  /// Carries out one run; `nil` if it stopped on request before finishing (not a result).
  static func run(_ configuration: Configuration, context: RunContext) throws -> RunOutcome?
  /// The summary numbers a sweep's comparison table shows, in order.
  static var reportColumns: [ReportColumn] { get }
}

extension ExperimentKind {
  public static var alternatives: [String: [any Encodable]] { [:] }
  public static var optionalParts: [String: Configuration] { [:] }
  public static var choices: [String: [String]] { [:] }
  public static func adjustSchema(_ tree: inout [String: Any]) {}

  /// The kind with its configuration type erased, for registries and stores.
  public static var descriptor: KindDescriptor {
    KindDescriptor(
      name: name, about: about, schema: ConfigurationSchema(Self.self),
      reportColumns: reportColumns
    ) { json, context in
      let configuration: Configuration
      do {
        configuration = try JSONDecoder.forRuns.decode(Configuration.self, from: Data(json.utf8))
      } catch {
        return RunOutcome(
          end: .failed(
            message:
              "the stored configuration does not decode as a \(name) configuration (\(ConfigurationFile.firstLine(error)))"
          ))
      }
      return try run(configuration, context: context)
    }
  }
}

/// A kind of experiment with its configuration type erased: what sweep files, stores and
/// workers need.
public struct KindDescriptor: Sendable {
  public let name: String
  public let about: String
  public let schema: ConfigurationSchema
  public let reportColumns: [ReportColumn]
  let runJSON: @Sendable (String, RunContext) throws -> RunOutcome?

  init(
    name: String, about: String, schema: ConfigurationSchema, reportColumns: [ReportColumn],
    run: @escaping @Sendable (String, RunContext) throws -> RunOutcome?
  ) {
    self.name = name
    self.about = about
    self.schema = schema
    self.reportColumns = reportColumns
    self.runJSON = run
  }

  /// Runs a stored configuration (canonical JSON); `nil` if it stopped on request.
  public func run(configuration json: String, context: RunContext) throws -> RunOutcome? {
    try runJSON(json, context)
  }
}

/// Every kind of experiment a sweep can hold.
public enum ExperimentKinds {
  /// The kind of a store's runs written before runs had kinds, and of a sweep file that names
  /// none.
  public static let defaultName = "mlp"

  /// Multilayer perceptrons (``MLPKind``).
  public static let mlp = MLPKind.descriptor

  public static let all: [KindDescriptor] = [
    mlp, RecurrentKind.descriptor, TrainabilityFrameKind.descriptor, KernelCurveKind.descriptor,
    NetworkCurveKind.descriptor, FeatureLearningKind.descriptor, RankCollapseKind.descriptor,
    TransformerTaskKind.descriptor,
  ]

  /// The kind called `name`; an error lists the kinds.
  public static func named(_ name: String, source: String = "kind") throws -> KindDescriptor {
    if let kind = all.first(where: { $0.name == name }) { return kind }
    throw ConfigurationFileError(
      "\(source): unknown kind '\(name)'; allowed: \(all.map { "\($0.name) (\($0.about))" }.joined(separator: ", "))"
    )
  }
}

/// A stable identifier of a run of `kind` with this canonical configuration JSON: FNV-1a
/// (64-bit), in hex. MLP runs hash their JSON alone (as stores written before kinds did);
/// other kinds hash `kind:json`.
public func recordHash(kind: String, configuration json: String) -> String {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  let text = kind == ExperimentKinds.defaultName ? json : "\(kind):\(json)"
  for byte in text.utf8 {
    hash ^= UInt64(byte)
    hash = hash &* 0x100_0000_01b3
  }
  return String(hash, radix: 16)
}

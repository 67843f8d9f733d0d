import Data
import Experiments
import Foundation
import Indicators
import NN
import Steering
import Yams

/// A configuration file (or override) could not be used. One line naming the key path, the
/// bad value and what is allowed.
public struct ConfigurationFileError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// Reads experiment configurations from YAML or JSON files (JSON is YAML), applies
/// `key.path=value` overrides, and validates every key against the configuration's schema.
///
/// Keys are the property names of ``TrainingConfiguration`` as written to `config.json`
/// (`learningRate`, `data.noise`, `optimizer.kind`, `regularization.targets.tau`, …); any key
/// left out keeps its default. An unknown key is an error that suggests the nearest known one.
public enum ConfigurationFile {
  /// Allowed values of the keys that take a name.
  public static let choices: [String: [String]] = [
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

  /// The schema: a configuration with every optional part present, as a YAML tree, with the
  /// kind of every number found by decoding (JSON writes a Double 0 as `0`).
  nonisolated(unsafe) static let schema: [String: Any] = numbersTyped(rawSchema)

  static var rawSchema: [String: Any] {
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
    full.indicators?.boundaryWindow = PlaneWindow(
      xMin: 0, xMax: 1, yMin: 0, yMax: 1, resolution: 256)
    var schemaTree = try! Self.tree(of: full)
    // Every target form's keys are allowed under regularization.targets.
    var regularization = schemaTree["regularization"] as! [String: Any]
    regularization["targets"] = [
      "kind": "fixed", "tau": 1.0, "taus": [1.0], "tau0": 1.0, "ratio": 1.0,
    ]
    schemaTree["regularization"] = regularization
    return schemaTree
  }

  /// Replaces every integer leaf that is really a `Double` (the configuration still decodes
  /// with 0.5 there) by a Double, so that `dropout: 0.1` is accepted and `epochs: 0.5` is not.
  static func numbersTyped(_ tree: [String: Any]) -> [String: Any] {
    func decodes(_ candidate: [String: Any]) -> Bool {
      guard let data = try? JSONSerialization.data(withJSONObject: stripNulls(candidate)) else {
        return false
      }
      return (try? JSONDecoder.forRuns.decode(TrainingConfiguration.self, from: data)) != nil
    }
    func replacing(_ path: [String], in tree: [String: Any], with value: Any) -> [String: Any] {
      var copy = tree
      if path.count == 1 {
        copy[path[0]] = value
      } else {
        copy[path[0]] = replacing(
          Array(path.dropFirst()), in: tree[path[0]] as? [String: Any] ?? [:], with: value)
      }
      return copy
    }
    var typed = tree
    func visit(_ subtree: [String: Any], prefix: [String]) {
      for (key, value) in subtree {
        let path = prefix + [key]
        if let mapping = value as? [String: Any] {
          visit(mapping, prefix: path)
        } else if value is Int && !(value is Bool) {
          if decodes(replacing(path, in: tree, with: 0.5)) {
            typed = replacing(path, in: typed, with: 0.5)
          }
        }
      }
    }
    visit(tree, prefix: [])
    return typed
  }

  /// Parses a sweep or protocol file's top level: a mapping whose keys are among `allowed`
  /// (an unknown key names the nearest allowed one).
  static func topLevel(text: String, source: String, allowed: [String]) throws -> [String: Any] {
    let parsed = try BoundedYAML.load(text, source: source)
    guard let top = parsed as? [String: Any] else {
      throw ConfigurationFileError(
        "\(source): the top level must be a mapping (\(allowed.joined(separator: ", ")))")
    }
    for key in top.keys.sorted() where !allowed.contains(key) {
      let hint = nearest(key, among: allowed).map { " (did you mean \($0)?)" } ?? ""
      throw ConfigurationFileError(
        "\(source): unknown key \(key)\(hint); allowed: \(allowed.joined(separator: ", "))")
    }
    return top
  }

  /// A sweep's or protocol's name (used in paths and store keys): letters, digits, `-`, `_`,
  /// `.`.
  static func runName(_ value: Any?, source: String) throws -> String {
    guard let name = value as? String, !name.isEmpty, !name.hasPrefix("."), name.count <= 200,
      name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
    else {
      throw ConfigurationFileError(
        "\(source): name must be a string of letters, digits, '-', '_' or '.' (at most 200, not starting with '.'), got \(value.map(describe) ?? "nothing")"
      )
    }
    return name
  }

  /// The tree of a file's `base` section over the defaults (the defaults when it is absent).
  static func baseTree(_ base: Any?, source: String) throws -> [String: Any] {
    let defaults = try tree(of: TrainingConfiguration())
    guard let base else { return defaults }
    guard let mapping = base as? [String: Any] else {
      throw ConfigurationFileError("\(source): base must be a mapping of configuration keys")
    }
    return try merge(mapping, into: defaults, schema: schema, path: "", source: "\(source): base")
  }

  /// The YAML tree of a configuration.
  public static func tree(of configuration: TrainingConfiguration) throws -> [String: Any] {
    let json = String(decoding: try JSONEncoder.forRuns.encode(configuration), as: UTF8.self)
    return try Yams.load(yaml: json) as? [String: Any] ?? [:]
  }

  /// Loads a configuration: `text` (YAML or JSON; empty for the defaults) over `base`, then
  /// each override `key.path=value` (the value read as YAML: `0.3`, `[64, 64]`, `adam`).
  public static func load(
    text: String, source: String, overrides: [String] = [],
    base: TrainingConfiguration = TrainingConfiguration()
  ) throws -> TrainingConfiguration {
    var tree = try Self.tree(of: base)
    if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      let parsed = try BoundedYAML.load(text, source: source)
      guard let mapping = parsed as? [String: Any] else {
        throw ConfigurationFileError("\(source): the top level must be a mapping of keys to values")
      }
      tree = try merge(mapping, into: tree, schema: schema, path: "", source: source)
    }
    for override in overrides {
      let (path, value) = try parseOverride(override)
      tree = try set(path: path, value: value, in: tree, source: "--set \(override)")
    }
    return try decode(tree, source: source)
  }

  /// Loads a file (by extension or content: YAML and JSON both work).
  public static func load(path: String, overrides: [String] = []) throws -> TrainingConfiguration {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigurationFileError(
        "\(path): cannot read the file (it does not exist or is not readable)")
    }
    let text = String(decoding: data, as: UTF8.self)
    if try BoundedYAML.load(text, source: path) == nil {
      throw ConfigurationFileError(
        "\(path): the file is empty; write the keys to change (e.g. epochs: 100), or leave out --config for the defaults"
      )
    }
    return try load(text: text, source: path, overrides: overrides)
  }

  /// Splits `key.path=value` and reads the value as YAML.
  public static func parseOverride(_ text: String) throws -> (path: String, value: Any) {
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
      throw ConfigurationFileError("--set \(text): expected key.path=value, e.g. data.noise=0.3")
    }
    let path = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
    try checkKeyPath(path, source: "--set \(text)")
    let raw = String(text[text.index(after: equals)...])
    let value = (try? BoundedYAML.load(raw, source: "--set \(text)")).flatMap { $0 } ?? raw
    return (path, value)
  }

  /// A dotted key path: names separated by single dots (`data.noise`), none empty.
  static func checkKeyPath(_ path: String, source: String) throws {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false)
    if path.isEmpty || parts.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
      throw ConfigurationFileError(
        "\(source): '\(path)' is not a key path; write names separated by single dots, e.g. data.noise"
      )
    }
  }

  /// Sets one dotted key path in a tree, checking it against the schema.
  public static func set(path: String, value: Any, in tree: [String: Any], source: String) throws
    -> [String: Any]
  {
    try checkKeyPath(path, source: source)
    var nested: [String: Any] = [:]
    for (i, key) in path.split(separator: ".").reversed().enumerated() {
      nested = [String(key): i == 0 ? value : nested]
    }
    return try merge(nested, into: tree, schema: schema, path: "", source: source)
  }

  /// Deep-merges `user` into `tree`, checking keys and value kinds against `schema`.
  static func merge(
    _ user: [String: Any], into tree: [String: Any], schema: [String: Any], path: String,
    source: String
  ) throws -> [String: Any] {
    var result = tree
    for key in user.keys.sorted() {
      let value = user[key]!
      let keyPath = path.isEmpty ? key : "\(path).\(key)"
      guard let expected = schema[key] else {
        let suggestion =
          nearest(key, among: Array(schema.keys))
          .map { " (did you mean \(path.isEmpty ? $0 : "\(path).\($0)")?)" } ?? ""
        throw ConfigurationFileError(
          "\(source): unknown key \(keyPath)\(suggestion); allowed here: \(schema.keys.sorted().joined(separator: ", "))"
        )
      }
      if let subschema = expected as? [String: Any] {
        if value is NSNull || (value as? String) == "null" {
          result[key] = NSNull()
          continue
        }
        guard let mapping = value as? [String: Any] else {
          throw ConfigurationFileError(
            "\(source): \(keyPath) must be a mapping (keys \(subschema.keys.sorted().joined(separator: ", "))), got \(describe(value))"
          )
        }
        let current = (tree[key] as? [String: Any]) ?? defaults(for: keyPath)
        result[key] = try merge(
          mapping, into: current, schema: subschema, path: keyPath, source: source)
      } else {
        try check(value, against: expected, keyPath: keyPath, source: source)
        result[key] = value
      }
    }
    return result
  }

  /// The default subtree of an optional part (`indicators`) when a file switches it on.
  static func defaults(for keyPath: String) -> [String: Any] {
    switch keyPath {
    case "indicators":
      return (try? tree(of: TrainingConfiguration(indicators: IndicatorOptions())))?["indicators"]
        as? [String: Any] ?? [:]
    case "criticalLearningRate":
      return (try? tree(of: TrainingConfiguration(criticalLearningRate: CriticalLearningRate())))?[
        "criticalLearningRate"] as? [String: Any] ?? [:]
    case "robustness":
      return (try? tree(of: TrainingConfiguration(robustness: RobustnessOptions())))?["robustness"]
        as? [String: Any] ?? [:]
    case "regularization.adaptation":
      return
        (try? tree(
          of: TrainingConfiguration(
            regularization: RegularizationConfiguration(adaptation: AdaptiveTargetRule()))))?[
          "regularization"
        ].flatMap { ($0 as? [String: Any])?["adaptation"] } as? [String: Any]
        ?? [:]
    default: return [:]
    }
  }

  static func check(_ value: Any, against expected: Any, keyPath: String, source: String) throws {
    func fail(_ what: String) throws -> Never {
      throw ConfigurationFileError("\(source): \(keyPath) must be \(what), got \(describe(value))")
    }
    if let allowed = choices[keyPath] {
      guard let name = value as? String, allowed.contains(name) else {
        try fail("one of \(allowed.joined(separator: ", "))")
      }
      return
    }
    switch expected {
    case is Bool: if !(value is Bool) { try fail("true or false") }
    case is Int: if !(value is Int) || value is Bool { try fail("an integer") }
    case is Double:
      if !(value is Double || value is Int) || value is Bool { try fail("a number") }
      if let number = value as? Double, !number.isFinite { try fail("a finite number") }
    case is String: if !(value is String) { try fail("a string") }
    case let list as [Any]:
      guard let values = value as? [Any] else { try fail("a list") }
      if let element = list.first {
        for (i, item) in values.enumerated() {
          try check(item, against: element, keyPath: "\(keyPath)[\(i)]", source: source)
        }
      }
    default: break
    }
  }

  static func decode(_ tree: [String: Any], source: String) throws -> TrainingConfiguration {
    let cleaned = stripNulls(tree)
    if let path = nonFiniteNumberPath(in: cleaned) {
      throw ConfigurationFileError("\(source): \(path) must be a finite number")
    }
    let data: Data
    do {
      data = try JSONSerialization.data(withJSONObject: cleaned)
    } catch {
      throw ConfigurationFileError(
        "\(source): the configuration holds a value that is not a number, string, list or mapping")
    }
    let configuration: TrainingConfiguration
    do {
      configuration = try JSONDecoder.forRuns.decode(TrainingConfiguration.self, from: data)
    } catch let DecodingError.dataCorrupted(context) {
      throw ConfigurationFileError(
        "\(source): \(codingPath(context.codingPath)): \(context.debugDescription)")
    } catch let DecodingError.keyNotFound(key, context) {
      throw ConfigurationFileError(
        "\(source): \(codingPath(context.codingPath + [key])) is missing")
    } catch let DecodingError.typeMismatch(_, context) {
      throw ConfigurationFileError(
        "\(source): \(codingPath(context.codingPath)) has the wrong type (\(context.debugDescription))"
      )
    }
    do {
      try configuration.validate()
    } catch let error as ConfigurationError {
      throw ConfigurationFileError("\(source): \(error.key): \(error.message)")
    }
    return configuration
  }

  /// The key path of the first NaN or infinity in a tree (JSON has no such numbers).
  static func nonFiniteNumberPath(in value: Any, path: String = "") -> String? {
    if let number = value as? Double, !(value is Int), !number.isFinite { return path }
    if let mapping = value as? [String: Any] {
      for key in mapping.keys.sorted() {
        let inner = path.isEmpty ? key : "\(path).\(key)"
        if let found = nonFiniteNumberPath(in: mapping[key]!, path: inner) { return found }
      }
    }
    if let list = value as? [Any] {
      for (i, item) in list.enumerated() {
        if let found = nonFiniteNumberPath(in: item, path: "\(path)[\(i)]") { return found }
      }
    }
    return nil
  }

  static func stripNulls(_ value: Any) -> Any {
    if let mapping = value as? [String: Any] {
      var out: [String: Any] = [:]
      for (k, v) in mapping where !(v is NSNull) { out[k] = stripNulls(v) }
      return out
    }
    if let list = value as? [Any] { return list.map(stripNulls) }
    return value
  }

  static func codingPath(_ path: [CodingKey]) -> String {
    path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }
      .description
  }

  static func describe(_ value: Any) -> String {
    switch value {
    case let s as String: return "'\(s)'"
    case is [String: Any]: return "a mapping"
    case let list as [Any]: return "[\(list.map(describe).joined(separator: ", "))]"
    case is NSNull: return "null"
    default: return "\(value)"
    }
  }

  static func firstLine(_ error: Error) -> String {
    "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
  }

  /// The candidate nearest to `key` by edit distance, if it is close (at most a third of
  /// the key's length, and at least 1 edit… 3 edits).
  static func nearest(_ key: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else {
      return nil
    }
    return best.1 <= max(2, key.count / 3) ? best.0 : nil
  }

  /// Levenshtein distance.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where j <= b.count {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}

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
  /// Allowed values of the MLP configuration's keys that take a name.
  public static var choices: [String: [String]] { MLPKind.choices }

  /// The schema MLP configurations are read with.
  public static var schema: ConfigurationSchema { ExperimentKinds.mlp.schema }

  /// Replaces every integer leaf that is really a `Double` (the configuration still decodes
  /// with 0.5 there) by a Double, so that `dropout: 0.1` is accepted and `epochs: 0.5` is not.
  static func numbersTyped(_ tree: [String: Any], decodes: ([String: Any]) -> Bool) -> [String: Any]
  {
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
  static func baseTree(
    _ base: Any?, source: String, in schema: ConfigurationSchema = Self.schema
  ) throws -> [String: Any] {
    guard let base else { return schema.defaults }
    guard let mapping = base as? [String: Any] else {
      throw ConfigurationFileError("\(source): base must be a mapping of configuration keys")
    }
    return try merge(
      mapping, into: schema.defaults, keys: schema.keys, path: "", source: "\(source): base",
      schema: schema)
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
      tree = try merge(mapping, into: tree, keys: schema.keys, path: "", source: source)
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
  public static func set(
    path: String, value: Any, in tree: [String: Any], source: String,
    schema: ConfigurationSchema = Self.schema
  ) throws -> [String: Any] {
    try checkKeyPath(path, source: source)
    var nested: [String: Any] = [:]
    for (i, key) in path.split(separator: ".").reversed().enumerated() {
      nested = [String(key): i == 0 ? value : nested]
    }
    return try merge(
      nested, into: tree, keys: schema.keys, path: "", source: source, schema: schema)
  }

  /// Deep-merges `user` into `tree`, checking keys and value kinds against `keys` (the
  /// schema's subtree at `path`).
  static func merge(
    _ user: [String: Any], into tree: [String: Any], keys: [String: Any], path: String,
    source: String, schema: ConfigurationSchema = Self.schema
  ) throws -> [String: Any] {
    var result = tree
    for key in user.keys.sorted() {
      let value = user[key]!
      let keyPath = path.isEmpty ? key : "\(path).\(key)"
      guard let expected = keys[key] else {
        let suggestion =
          nearest(key, among: Array(keys.keys))
          .map { " (did you mean \(path.isEmpty ? $0 : "\(path).\($0)")?)" } ?? ""
        throw ConfigurationFileError(
          "\(source): unknown key \(keyPath)\(suggestion); allowed here: \(keys.keys.sorted().joined(separator: ", "))"
        )
      }
      if let forms = schema.alternatives[keyPath] {
        result[key] = try oneOf(
          value, current: tree[key], forms: forms, keyPath: keyPath, source: source,
          schema: schema)
      } else if let subschema = expected as? [String: Any] {
        if value is NSNull || (value as? String) == "null" {
          result[key] = NSNull()
          continue
        }
        guard let mapping = value as? [String: Any] else {
          throw ConfigurationFileError(
            "\(source): \(keyPath) must be a mapping (keys \(subschema.keys.sorted().joined(separator: ", "))), got \(describe(value))"
          )
        }
        let current = (tree[key] as? [String: Any]) ?? schema.optionalDefaults[keyPath] ?? [:]
        result[key] = try merge(
          mapping, into: current, keys: subschema, path: keyPath, source: source, schema: schema)
      } else {
        try check(value, against: expected, keyPath: keyPath, source: source, schema: schema)
        result[key] = value
      }
    }
    return result
  }

  /// A one-of key's new value: `{form: {fields}}` (fields over the current form's, or the
  /// example's when the form changes), or a form's bare name when the form has no fields.
  static func oneOf(
    _ value: Any, current: Any?, forms: [String: Any], keyPath: String, source: String,
    schema: ConfigurationSchema
  ) throws -> [String: Any] {
    let names = forms.keys.sorted()
    let expected =
      "one of \(names.map { form in (forms[form] as? [String: Any]).map { $0.isEmpty ? form : "{\(form): {\($0.keys.sorted().joined(separator: ", "))}}" } ?? form }.joined(separator: ", "))"
    if let name = value as? String, let body = forms[name] as? [String: Any], body.isEmpty {
      return [name: [String: Any]()]
    }
    guard let mapping = value as? [String: Any], mapping.count == 1,
      let (name, fields) = mapping.first,
      let example = forms[name] as? [String: Any]
    else {
      throw ConfigurationFileError(
        "\(source): \(keyPath) must be \(expected), got \(describe(value))")
    }
    let start = ((current as? [String: Any])?[name] as? [String: Any]) ?? example
    guard let fieldMapping = fields as? [String: Any] ?? (fields is NSNull ? [:] : nil) else {
      throw ConfigurationFileError(
        "\(source): \(keyPath).\(name) must be a mapping (keys \(example.keys.sorted().joined(separator: ", "))), got \(describe(fields))"
      )
    }
    return [
      name: try merge(
        fieldMapping, into: start, keys: example, path: "\(keyPath).\(name)", source: source,
        schema: schema)
    ]
  }

  static func check(
    _ value: Any, against expected: Any, keyPath: String, source: String,
    schema: ConfigurationSchema = Self.schema
  ) throws {
    func fail(_ what: String) throws -> Never {
      throw ConfigurationFileError("\(source): \(keyPath) must be \(what), got \(describe(value))")
    }
    if let allowed = schema.choices[keyPath] {
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
          try check(
            item, against: element, keyPath: "\(keyPath)[\(i)]", source: source, schema: schema)
        }
      }
    default: break
    }
  }

  static func decode(_ tree: [String: Any], source: String) throws -> TrainingConfiguration {
    try decode(
      tree, as: TrainingConfiguration.self, validate: { try $0.validate() }, source: source)
  }

  /// Decodes a tree as a configuration of type `C` and validates it; errors name the key.
  static func decode<C: Decodable>(
    _ tree: [String: Any], as type: C.Type, validate: (C) throws -> Void, source: String
  ) throws -> C {
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
    let configuration: C
    do {
      configuration = try JSONDecoder.forRuns.decode(C.self, from: data)
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
      try validate(configuration)
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

  /// A value as flow YAML for axis labels: `0.1`, `[64, 64]`, `adam`,
  /// `{temporalParity: {window: 2}}` (keys sorted).
  static func inline(_ value: Any) -> String {
    switch value {
    case let s as String: return s
    case let mapping as [String: Any]:
      return "{"
        + mapping.keys.sorted().map { "\($0): \(inline(mapping[$0]!))" }.joined(separator: ", ")
        + "}"
    case let list as [Any]: return "[\(list.map(inline).joined(separator: ", "))]"
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

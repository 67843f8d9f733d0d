import Experiments
import Foundation
import Yams

/// The keys one kind of experiment's configuration accepts, built from its
/// ``ExperimentKind``: the key tree of a complete configuration (with every number typed by
/// decoding), the allowed names of named keys, the forms of one-of keys, the defaults of
/// optional parts, and how a tree becomes a validated configuration.
public struct ConfigurationSchema: @unchecked Sendable {
  public let kind: String
  /// A complete configuration as a YAML tree: the allowed keys and the kind of each value.
  let keys: [String: Any]
  let choices: [String: [String]]
  /// One-of key path → form name → an example of the form's tree.
  let alternatives: [String: [String: Any]]
  /// Optional part's key path → its default tree.
  let optionalDefaults: [String: [String: Any]]
  /// The default configuration's tree.
  let defaults: [String: Any]
  /// Decodes and validates a tree; the configuration's canonical JSON (sorted keys) and the
  /// typed value.
  let canonical: ([String: Any], String) throws -> (json: String, value: Any)
  /// A decoded configuration with its seed set: its canonical JSON and the typed value.
  let reseeded: (Any, UInt64) throws -> (json: String, value: Any)

  init<K: ExperimentKind>(_ kind: K.Type) {
    self.kind = K.name
    func tree(_ value: some Encodable) -> Any {
      let json = String(decoding: (try? JSONEncoder.forRuns.encode(value)) ?? Data(), as: UTF8.self)
      return (try? Yams.load(yaml: json)) ?? [:]
    }
    func decodes(_ candidate: [String: Any]) -> Bool {
      guard
        let data = try? JSONSerialization.data(
          withJSONObject: ConfigurationFile.stripNulls(candidate))
      else { return false }
      return (try? JSONDecoder.forRuns.decode(K.Configuration.self, from: data)) != nil
    }
    var raw = tree(K.complete) as? [String: Any] ?? [:]
    K.adjustSchema(&raw)
    keys = ConfigurationFile.numbersTyped(raw, decodes: decodes)
    choices = K.choices
    alternatives = K.alternatives.mapValues { forms in
      var named: [String: Any] = [:]
      for form in forms {
        if let mapping = tree(form) as? [String: Any], let (name, body) = mapping.first {
          named[name] = body
        }
      }
      return named
    }
    var optional: [String: [String: Any]] = [:]
    for (path, configuration) in K.optionalParts {
      var node: Any? = tree(configuration)
      for part in path.split(separator: ".") { node = (node as? [String: Any])?[String(part)] }
      optional[path] = node as? [String: Any] ?? [:]
    }
    optionalDefaults = optional
    defaults = tree(K.defaults) as? [String: Any] ?? [:]
    func canonicalJSON(_ configuration: K.Configuration) throws -> String {
      let encoder = JSONEncoder.forRuns
      encoder.outputFormatting = [.sortedKeys]
      return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }
    canonical = { tree, source in
      let configuration = try ConfigurationFile.decode(
        tree, as: K.Configuration.self, validate: K.validate, source: source)
      return (try canonicalJSON(configuration), configuration)
    }
    reseeded = { value, seed in
      var configuration = value as! K.Configuration
      configuration.seed = seed
      return (try canonicalJSON(configuration), configuration)
    }
  }
}

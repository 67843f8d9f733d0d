import Foundation
import Yams

/// Reads YAML (and JSON, which is YAML) into plain Swift values with a bound on the size of
/// the result.
///
/// YAML aliases share one node, so a few hundred bytes can describe a tree of 10⁹ nodes
/// (the "billion laughs" document); converting such a tree into dictionaries and arrays
/// exhausts memory. The document is composed first (aliases stay shared), then converted
/// node by node, counting every node an alias expands to, and refused past
/// ``maximumNodes`` or ``maximumDepth``. Scalars are resolved exactly as `Yams.load` does
/// (YAML 1.1 core schema: `0.3` a Double, `64` an Int, `true` a Bool, `null` null); mapping
/// keys are read as their text. A configuration needs a few hundred nodes.
public enum BoundedYAML {
  /// The most nodes (scalars, mappings, sequences, counted after alias expansion) a file may
  /// hold.
  public static let maximumNodes = 200_000
  /// The deepest nesting of mappings and sequences a file may hold.
  public static let maximumDepth = 64

  /// The value of the document, `nil` for an empty one.
  public static func load(_ text: String, source: String) throws -> Any? {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw ConfigurationFileError(
        "\(source): not valid YAML or JSON (\(ConfigurationFile.firstLine(error)))")
    }
    guard let node else { return nil }
    var budget = maximumNodes
    return try value(of: node, depth: 0, budget: &budget, source: source)
  }

  static func value(of node: Node, depth: Int, budget: inout Int, source: String) throws -> Any {
    budget -= 1
    if budget < 0 {
      throw ConfigurationFileError(
        "\(source): the document expands to more than \(maximumNodes) values (YAML aliases?); a configuration needs a few hundred"
      )
    }
    if depth > maximumDepth {
      throw ConfigurationFileError(
        "\(source): nested deeper than \(maximumDepth) levels; a configuration needs a few")
    }
    switch node {
    case .scalar:
      return Constructor.default.any(from: node)
    case .mapping(let mapping):
      var result: [String: Any] = [:]
      for (key, item) in mapping {
        guard let name = key.scalar?.string else {
          throw ConfigurationFileError(
            "\(source): a mapping key must be a plain name, not a list or mapping")
        }
        if result[name] != nil {
          throw ConfigurationFileError("\(source): the key '\(name)' appears twice in one mapping")
        }
        result[name] = try value(of: item, depth: depth + 1, budget: &budget, source: source)
      }
      return result
    case .sequence(let sequence):
      var result: [Any] = []
      for item in sequence {
        result.append(try value(of: item, depth: depth + 1, budget: &budget, source: source))
      }
      return result
    case .alias:
      // compose resolves every alias to its anchored node; an unresolved one is an error.
      throw ConfigurationFileError("\(source): an alias refers to no anchor")
    }
  }
}

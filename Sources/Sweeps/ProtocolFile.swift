import Experiments
import Foundation
import Yams

/// A multi-condition, multi-seed protocol (what `crit demo` runs) as a YAML or JSON file:
///
/// ```yaml
/// name: seed-poc                 # the run directory's default name
/// seeds: 5                       # or a list: [0, 3, 7]
/// base:                          # a configuration (any key of crit train's config.json)
///   epochs: 200
///   indicators: {every: 1, boundaryResolution: 256}
/// conditions:                    # the first is the baseline
///   - name: baseline
///   - name: spectral-tau1
///     set:                       # key paths changed from base
///       regularization.kind: spectral-penalty
///       regularization.weight: 0.1
///       regularization.targets: {kind: fixed, tau: 1}
/// ```
///
/// Overrides (`--set`): `seeds=3`, `name=x`, and `base.KEY.PATH=value`, which changes the base
/// before the conditions' own changes are applied. Every condition's configuration is built and
/// validated before anything runs.
public enum ProtocolFile {
  static let topKeys = ["name", "seeds", "base", "conditions"]

  public static func load(path: String, overrides: [String] = []) throws -> SeedProtocol {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigurationFileError(
        "\(path): cannot read the file (it does not exist or is not readable)")
    }
    return try parse(
      text: String(decoding: data, as: UTF8.self), source: path, overrides: overrides)
  }

  public static func parse(text: String, source: String, overrides: [String] = []) throws
    -> SeedProtocol
  {
    var top = try ConfigurationFile.topLevel(text: text, source: source, allowed: topKeys)
    var baseOverrides: [(String, Any)] = []
    for override in overrides {
      let (path, value) = try ConfigurationFile.parseOverride(override)
      if path.hasPrefix("base.") {
        baseOverrides.append((String(path.dropFirst(5)), value))
      } else if path == "seeds" || path == "name" {
        top[path] = value
      } else {
        throw ConfigurationFileError(
          "--set \(override): a protocol takes name=…, seeds=… or base.KEY.PATH=… (conditions are changed in the file)"
        )
      }
    }
    let name = try ConfigurationFile.runName(top["name"] ?? "protocol", source: source)
    var baseTree = try ConfigurationFile.baseTree(top["base"], source: source)
    for (path, value) in baseOverrides {
      baseTree = try ConfigurationFile.set(
        path: path, value: value, in: baseTree, source: "--set base.\(path)")
    }
    let base = try ConfigurationFile.decode(baseTree, source: "\(source): base")
    let seeds = try SweepFile.parseSeeds(top["seeds"] ?? 5, source: source)
    guard seeds.count >= 2 else {
      throw ConfigurationFileError(
        "\(source): seeds: a protocol needs at least 2 seeds for confidence intervals, got \(seeds.count)"
      )
    }
    guard let list = top["conditions"] as? [Any], !list.isEmpty else {
      throw ConfigurationFileError(
        "\(source): conditions must be a non-empty list of {name: …, set: {key.path: value}}")
    }
    var conditions: [SeedProtocol.Condition] = []
    for (i, entry) in list.enumerated() {
      let place = "\(source): conditions[\(i)]"
      guard let mapping = entry as? [String: Any] else {
        throw ConfigurationFileError("\(place) must be a mapping {name: …, set: {…}}")
      }
      for key in mapping.keys.sorted() where key != "name" && key != "set" {
        throw ConfigurationFileError(
          "\(place): unknown key \(key)\(ConfigurationFile.nearest(key, among: ["name", "set"]).map { " (did you mean \($0)?)" } ?? ""); allowed: name, set"
        )
      }
      let conditionName = try ConfigurationFile.runName(mapping["name"], source: "\(place)")
      if conditions.contains(where: { $0.name == conditionName }) {
        throw ConfigurationFileError("\(place).name: \(conditionName) is used twice")
      }
      var tree = baseTree
      if let changes = mapping["set"] {
        guard let changes = changes as? [String: Any] else {
          throw ConfigurationFileError("\(place).set must be a mapping of key paths to values")
        }
        for key in changes.keys.sorted() {
          tree = try ConfigurationFile.set(
            path: key, value: changes[key]!, in: tree, source: "\(place).set")
        }
      }
      let configuration = try ConfigurationFile.decode(tree, source: "\(place) (\(conditionName))")
      conditions.append(SeedProtocol.Condition(name: conditionName, configuration: configuration))
    }
    return SeedProtocol(name: name, base: base, conditions: conditions, seeds: seeds)
  }
}

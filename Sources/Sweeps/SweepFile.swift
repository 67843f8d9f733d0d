import Experiments
import Foundation
import Tensors
import Yams

/// A sweep: a base configuration and axes over any configuration keys, expanded into the
/// runs to do.
///
/// ```yaml
/// name: noise-vs-penalty
/// base:                       # a configuration (any keys; defaults elsewhere)
///   epochs: 100
/// seeds: 5                    # or a list: [0, 3, 7]
/// grid:                       # every combination
///   data.noise: [0.1, 0.2, 0.3]
///   regularization.weight: [0, 0.1, 1]
/// zip:                        # advanced together (equal lengths)
///   hidden: [[64], [64, 64]]
///   learningRate: [0.001, 0.0005]
/// random:                     # sampled points (seeded)
///   samples: 4
///   seed: 0
///   axes:
///     optimizer.beta1: {uniform: [0.8, 0.95]}
///     learningRate: {log-uniform: [0.0001, 0.01]}
/// ```
/// Runs = grid × zip × random samples × seeds, each a base configuration with the axis
/// values set (grid keys in sorted order, the last varying fastest; seeds innermost).
///
/// `kind:` names the kind of experiment (``ExperimentKinds``: `mlp`, the default; `rnn`;
/// `trainability-frame`); `base` and the axes use that kind's configuration keys.
public struct SweepFile {
  public var name: String
  public var kind: KindDescriptor
  public var seeds: [UInt64]
  /// Every run as the store records it: hash, canonical configuration JSON, axis values.
  public var records: [PlannedRun]
  /// Per MLP run: the configuration and the axis values that define it (`key.path=value`);
  /// empty for other kinds.
  public var runs: [(configuration: TrainingConfiguration, assignments: [String: String])]

  /// Parses and expands a sweep file; every run's configuration is built and validated before
  /// anything starts, so a bad axis never starts a partial sweep.
  public static func load(path: String) throws -> SweepFile {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigurationFileError(
        "\(path): cannot read the file (it does not exist or is not readable)")
    }
    return try parse(text: String(decoding: data, as: UTF8.self), source: path)
  }

  /// The most runs one sweep file may expand to. Every run is built and validated before the
  /// sweep starts (about 0.3 ms each), and the store holds one row per run; a larger study is
  /// several sweeps.
  public static let maximumRuns = 100_000

  public static func parse(text: String, source: String) throws -> SweepFile {
    let top = try ConfigurationFile.topLevel(
      text: text, source: source,
      allowed: ["name", "kind", "base", "seeds", "grid", "zip", "random"])
    let name = try ConfigurationFile.runName(top["name"], source: source)
    let kindName = top["kind"] ?? ExperimentKinds.defaultName
    guard let kindText = kindName as? String else {
      throw ConfigurationFileError(
        "\(source): kind must be one of \(ExperimentKinds.all.map(\.name).joined(separator: ", ")), got \(ConfigurationFile.describe(kindName))"
      )
    }
    let kind = try ExperimentKinds.named(kindText, source: "\(source): kind")
    let schema = kind.schema
    let baseTree = try ConfigurationFile.baseTree(top["base"], source: source, in: schema)
    _ = try schema.canonical(baseTree, "\(source): base")
    let seeds = try parseSeeds(top["seeds"], source: source)
    try checkRunCount(top, seeds: seeds.count, source: source)
    var points: [[(String, Any)]] = [[]]
    if let grid = top["grid"] {
      guard let axes = grid as? [String: Any] else {
        throw ConfigurationFileError("\(source): grid must be a mapping of key paths to lists")
      }
      for key in axes.keys.sorted() {
        guard let values = axes[key] as? [Any], !values.isEmpty else {
          throw ConfigurationFileError("\(source): grid.\(key) must be a non-empty list of values")
        }
        points = points.flatMap { point in values.map { point + [(key, $0)] } }
      }
    }
    if let zipped = top["zip"] {
      guard let axes = zipped as? [String: Any], !axes.isEmpty else {
        throw ConfigurationFileError(
          "\(source): zip must be a mapping of key paths to lists of equal length")
      }
      let keys = axes.keys.sorted()
      var lists: [[Any]] = []
      for key in keys {
        guard let values = axes[key] as? [Any], !values.isEmpty else {
          throw ConfigurationFileError("\(source): zip.\(key) must be a non-empty list of values")
        }
        lists.append(values)
      }
      if Set(lists.map(\.count)).count > 1 {
        throw ConfigurationFileError(
          "\(source): zip lists must have equal lengths; got \(zip(keys, lists).map { "\($0.0) \($0.1.count)" }.joined(separator: ", "))"
        )
      }
      points = points.flatMap { point in
        (0..<lists[0].count).map { i in
          point + keys.enumerated().map { ($0.element, lists[$0.offset][i]) }
        }
      }
    }
    if let random = top["random"] {
      points = try expandRandom(random, points: points, source: source)
    }
    var records: [PlannedRun] = []
    var runs: [(TrainingConfiguration, [String: String])] = []
    for point in points {
      var tree = baseTree
      var assignments: [String: String] = [:]
      for (key, value) in point {
        tree = try ConfigurationFile.set(
          path: key, value: value, in: tree, source: "\(source): axis \(key)", schema: schema)
        assignments[key] = ConfigurationFile.inline(value).replacingOccurrences(of: "'", with: "")
      }
      let (_, configuration) = try schema.canonical(
        tree,
        "\(source): run \(assignments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
      )
      for seed in seeds {
        let (json, seeded) = try schema.reseeded(configuration, seed)
        var withSeed = assignments
        withSeed["seed"] = "\(seed)"
        records.append(
          PlannedRun(
            hash: recordHash(kind: kind.name, configuration: json), configuration: json,
            assignments: withSeed))
        if let mlp = seeded as? TrainingConfiguration { runs.append((mlp, withSeed)) }
      }
    }
    return SweepFile(name: name, kind: kind, seeds: seeds, records: records, runs: runs)
  }

  /// Refuses a sweep of more than ``maximumRuns`` runs before expanding it: the product of
  /// the grid's list lengths, the zip length, the random samples and the seeds.
  static func checkRunCount(_ top: [String: Any], seeds: Int, source: String) throws {
    var factors: [(String, Int)] = [("seeds", seeds)]
    if let axes = top["grid"] as? [String: Any] {
      for key in axes.keys.sorted() {
        factors.append(("grid.\(key)", (axes[key] as? [Any])?.count ?? 1))
      }
    }
    if let axes = top["zip"] as? [String: Any], let first = axes.keys.sorted().first {
      factors.append(("zip", (axes[first] as? [Any])?.count ?? 1))
    }
    if let random = top["random"] as? [String: Any], let samples = random["samples"] as? Int,
      samples > 0
    {
      factors.append(("random.samples", samples))
    }
    var total = 1
    for (_, count) in factors {
      let (product, overflow) = total.multipliedReportingOverflow(by: max(count, 1))
      total = overflow ? Int.max : product
    }
    if total > maximumRuns {
      let shown = total == Int.max ? "more than 9.2e18" : "\(total)"
      throw ConfigurationFileError(
        "\(source): the sweep has \(shown) runs (\(factors.map { "\($0.0) \($0.1)" }.joined(separator: " × "))); at most \(maximumRuns) are allowed in one file, split it into several sweeps"
      )
    }
  }

  static func parseSeeds(_ value: Any?, source: String) throws -> [UInt64] {
    switch value {
    case nil: return [0]
    case let n as Int where n >= 1:
      guard n <= maximumRuns else {
        throw ConfigurationFileError(
          "\(source): seeds: \(n) seeds; at most \(maximumRuns) runs are allowed in one file")
      }
      return (0..<n).map(UInt64.init)
    case let list as [Any]:
      let seeds = list.compactMap { ($0 as? Int).flatMap { $0 >= 0 ? UInt64($0) : nil } }
      if seeds.count == list.count && !seeds.isEmpty && Set(seeds).count == seeds.count {
        return seeds
      }
      fallthrough
    default:
      throw ConfigurationFileError(
        "\(source): seeds must be a positive count or a list of distinct non-negative integers")
    }
  }

  static func expandRandom(_ value: Any, points: [[(String, Any)]], source: String) throws -> [[(
    String, Any
  )]] {
    guard let random = value as? [String: Any], let samples = random["samples"] as? Int,
      samples >= 1,
      let axes = random["axes"] as? [String: Any], !axes.isEmpty
    else {
      throw ConfigurationFileError(
        "\(source): random needs samples (a positive integer) and axes (key: {uniform|log-uniform|int-uniform: [low, high]} or {choice: [...]})"
      )
    }
    let seedValue = random["seed"] ?? 0
    guard let seed = (seedValue as? Int).flatMap(UInt64.init(exactly:)), !(seedValue is Bool)
    else {
      throw ConfigurationFileError(
        "\(source): random.seed must be a non-negative integer, got \(ConfigurationFile.describe(seedValue))"
      )
    }
    var rng = SplittableRandom(seed: seed).derived("sweep")
    var samplesDrawn: [[(String, Any)]] = []
    for _ in 0..<samples {
      var sample: [(String, Any)] = []
      for key in axes.keys.sorted() {
        guard let spec = axes[key] as? [String: Any], spec.count == 1, let (kind, raw) = spec.first
        else {
          throw ConfigurationFileError(
            "\(source): random.axes.\(key) must be one of {uniform: [a, b]}, {log-uniform: [a, b]}, {int-uniform: [a, b]}, {choice: [...]}"
          )
        }
        if kind == "choice" {
          guard let options = raw as? [Any], !options.isEmpty else {
            throw ConfigurationFileError(
              "\(source): random.axes.\(key).choice must be a non-empty list")
          }
          sample.append((key, options[rng.nextInt(below: options.count)]))
          continue
        }
        guard let range = raw as? [Any], range.count == 2,
          let low = (range[0] as? Double) ?? (range[0] as? Int).map(Double.init),
          let high = (range[1] as? Double) ?? (range[1] as? Int).map(Double.init), low <= high
        else {
          throw ConfigurationFileError(
            "\(source): random.axes.\(key).\(kind) must be [low, high] with low ≤ high")
        }
        let u = rng.nextUniform()
        switch kind {
        case "uniform": sample.append((key, low + (high - low) * u))
        case "log-uniform":
          guard low > 0 else {
            throw ConfigurationFileError("\(source): random.axes.\(key).log-uniform needs low > 0")
          }
          sample.append(
            (
              key,
              Foundation.exp(Foundation.log(low) + (Foundation.log(high) - Foundation.log(low)) * u)
            ))
        case "int-uniform":
          // Integers up to 2⁵³ in magnitude are exact in a Double; the draw is low + ⌊u·(n)⌋.
          let limit = 9_007_199_254_740_992.0
          guard low == low.rounded(), high == high.rounded(), abs(low) <= limit,
            abs(high) <= limit
          else {
            throw ConfigurationFileError(
              "\(source): random.axes.\(key).int-uniform must be [low, high] with integers of magnitude at most 2^53"
            )
          }
          let offset = min(Foundation.floor(u * (high - low + 1)), high - low)
          sample.append((key, Int(low + offset)))
        default:
          throw ConfigurationFileError(
            "\(source): random.axes.\(key): unknown distribution \(kind) (allowed: uniform, log-uniform, int-uniform, choice)"
          )
        }
      }
      samplesDrawn.append(sample)
    }
    return points.flatMap { point in samplesDrawn.map { point + $0 } }
  }
}

/// A stable identifier of a configuration: FNV-1a (64-bit) of its canonical JSON (sorted
/// keys), in hex. Equal configurations share a hash; a finished run is found by it.
public func configurationHash(_ configuration: TrainingConfiguration) -> String {
  let encoder = JSONEncoder.forRuns
  encoder.outputFormatting = [.sortedKeys]
  let json = String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self)
  return recordHash(kind: ExperimentKinds.defaultName, configuration: json)
}

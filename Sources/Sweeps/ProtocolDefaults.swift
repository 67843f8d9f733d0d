import Experiments
import Foundation
import Steering

extension ProtocolFile {
  /// The protocol `defaults` with `key.path=value` overrides applied through the same parsing
  /// and validation as a protocol file (`--set` without `--config`).
  public static func parse(defaults: SeedProtocol, overrides: [String]) throws -> SeedProtocol {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    let text = try String(decoding: encoder.encode(DefaultProtocolFile(defaults)), as: UTF8.self)
    return try parse(text: text, source: "--set", overrides: overrides)
  }
}

/// The default protocol in the file format, so that `--set` alone overrides the defaults
/// through the same validation as a file.
struct DefaultProtocolFile: Encodable {
  struct Condition: Encodable {
    var name: String
    var set: [String: RegularizationConfiguration]
  }
  var name: String
  var seeds: Int
  var base: TrainingConfiguration
  var conditions: [Condition]

  init(_ definition: SeedProtocol) {
    name = definition.name
    seeds = definition.seeds.count
    base = definition.base
    conditions = definition.conditions.map {
      Condition(
        name: $0.name,
        set: $0.configuration.regularization == .none
          ? [:] : ["regularization": $0.configuration.regularization])
    }
  }
}

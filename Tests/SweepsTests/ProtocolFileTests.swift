import Experiments
import Foundation
import Steering
import Sweeps
import Testing

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

func canonicalJSON<T: Encodable>(_ value: T) throws -> String {
  let encoder = JSONEncoder.forRuns
  encoder.outputFormatting = [.sortedKeys]
  return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// The shipped example is the seed experiment exactly as `crit demo` runs it without a file:
/// the same base, the same two conditions (built independently by `SeedProtocol()`), the same
/// seeds.
@Test func seedProtocolExampleEqualsTheBuiltInProtocol() throws {
  let file = try ProtocolFile.load(
    path: repositoryRoot.appendingPathComponent("examples/seed-poc.yaml").path)
  #expect(try canonicalJSON(file) == canonicalJSON(SeedProtocol()))
}

/// `base.` overrides reach every condition; a condition's own change stays its own.
@Test func baseOverridesApplyToEveryCondition() throws {
  let text = """
    name: depth
    seeds: [1, 4]
    base: {epochs: 30}
    conditions:
      - name: plain
      - name: dropout
        set: {dropout: 0.2, regularization.weight: 0.5}
    """
  let definition = try ProtocolFile.parse(
    text: text, source: "t.yaml", overrides: ["base.learningRate=0.01", "seeds=[2, 3, 9]"])
  #expect(definition.name == "depth")
  #expect(definition.seeds == [2, 3, 9])
  #expect(definition.conditions.map(\.name) == ["plain", "dropout"])
  for condition in definition.conditions {
    #expect(condition.configuration.learningRate == 0.01)
    #expect(condition.configuration.epochs == 30)
  }
  #expect(definition.conditions[0].configuration.dropout == 0)
  #expect(definition.conditions[1].configuration.dropout == 0.2)
  #expect(definition.conditions[1].configuration.regularization.weight == 0.5)
  // Runs are condition-major with the seed set.
  #expect(definition.runs.map(\.configuration.seed) == [2, 3, 9, 2, 3, 9])
  #expect(definition.runs[4].configuration.dropout == 0.2)
}

/// Each bad protocol gets one line naming the place and what is allowed.
@Test func badProtocolFilesNameTheKeyPath() {
  let good = "conditions:\n  - name: a\n  - name: b\n"
  expectConfigError(["unknown key condition", "did you mean conditions?"]) {
    _ = try ProtocolFile.parse(text: "condition: []", source: "p.yaml")
  }
  expectConfigError(["conditions[1].set", "unknown key dropuot", "did you mean dropout?"]) {
    _ = try ProtocolFile.parse(
      text: "conditions:\n  - name: a\n  - name: b\n    set: {dropuot: 0.1}", source: "p.yaml")
  }
  expectConfigError(["conditions[1]", "regularization.weight", "≥ 0"]) {
    _ = try ProtocolFile.parse(
      text: "conditions:\n  - name: a\n  - name: b\n    set: {regularization.weight: -1}",
      source: "p.yaml")
  }
  expectConfigError(["conditions[1].name", "used twice"]) {
    _ = try ProtocolFile.parse(text: "conditions:\n  - name: a\n  - name: a\n", source: "p.yaml")
  }
  expectConfigError(["seeds", "at least 2"]) {
    _ = try ProtocolFile.parse(text: good, source: "p.yaml", overrides: ["seeds=1"])
  }
  expectConfigError(["--set base.epochs", "integer"]) {
    _ = try ProtocolFile.parse(text: good, source: "p.yaml", overrides: ["base.epochs=many"])
  }
  expectConfigError(["--set hidden=[8]", "base.KEY.PATH"]) {
    _ = try ProtocolFile.parse(text: good, source: "p.yaml", overrides: ["hidden=[8]"])
  }
  expectConfigError(["conditions must be a non-empty list"]) {
    _ = try ProtocolFile.parse(text: "name: x", source: "p.yaml")
  }
}

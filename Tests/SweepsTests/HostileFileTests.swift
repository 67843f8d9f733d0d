import CritTestSupport
import Experiments
import Foundation
import Sweeps
import Testing

/// A 342-byte "billion laughs" document: nine levels of nine aliases, 9⁹ ≈ 3.9·10⁸ strings
/// once expanded.
let aliasBomb = billionLaughsYAML

@Test func aliasBombIsRefusedByEveryReader() {
  let fragments = ["more than \(BoundedYAML.maximumNodes) values"]
  expectConfigError(fragments) { _ = try ConfigurationFile.load(text: aliasBomb, source: "c.yaml") }
  expectConfigError(fragments) { _ = try SweepFile.parse(text: aliasBomb, source: "s.yaml") }
  expectConfigError(fragments) { _ = try ProtocolFile.parse(text: aliasBomb, source: "p.yaml") }
}

@Test func aliasesWithinTheBoundStillWork() throws {
  // An anchor reused once is ordinary YAML and reads as the value it names.
  let configuration = try ConfigurationFile.load(
    text: "hidden: &w [16, 16]\ndata: {count: 300}\n", source: "c.yaml")
  #expect(configuration.hidden == [16, 16])
  let sweep = try SweepFile.parse(
    text: "name: t\ngrid: {hidden: &h [[8], [8, 8]]}\nzip: {data.count: [200, 300]}",
    source: "s.yaml")
  #expect(sweep.runs.count == 4)
}

@Test func deepNestingIsRefused() {
  let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
  expectConfigError(["nested deeper than \(BoundedYAML.maximumDepth)"]) {
    _ = try ConfigurationFile.load(text: "hidden: \(deep)", source: "c.yaml")
  }
}

@Test(arguments: [".=5", " =5", "..=5", "data..noise=1", ".epochs=3", "epochs.=3"])
func malformedKeyPathsAreErrors(override: String) {
  expectConfigError(["is not a key path"]) {
    _ = try ConfigurationFile.load(text: "", source: "c.yaml", overrides: [override])
  }
}

@Test func sweepAxesWithMalformedKeysAreErrors() {
  for key in ["\".\"", "\"\"", "\"a..b\""] {
    expectConfigError(["is not a key path"]) {
      _ = try SweepFile.parse(text: "name: t\ngrid: {\(key): [1, 2]}", source: "s.yaml")
    }
  }
}

@Test func nonFiniteNumbersAreNamedErrors() {
  expectConfigError(["learningRate must be a finite number"]) {
    _ = try ConfigurationFile.load(text: "learningRate: .nan", source: "c.yaml")
  }
  expectConfigError(["data.noise must be a finite number"]) {
    _ = try ConfigurationFile.load(text: "data: {noise: .inf}", source: "c.yaml")
  }
  expectConfigError(["robustness.noiseLevels[1] must be a finite number"]) {
    _ = try ConfigurationFile.load(
      text: "robustness: {noiseLevels: [0.1, -.inf]}", source: "c.yaml")
  }
}

@Test func emptyConfigurationFileIsAnError() throws {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "crit-empty-\(UUID().uuidString).yaml"
  ).path
  for text in ["", "# only a comment\n"] {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    expectConfigError(["the file is empty"]) { _ = try ConfigurationFile.load(path: path) }
  }
}

@Test func sweepIntegersAreChecked() {
  expectConfigError(["9223372036854775807 seeds", "at most \(SweepFile.maximumRuns)"]) {
    _ = try SweepFile.parse(text: "name: t\nseeds: 9223372036854775807", source: "s.yaml")
  }
  expectConfigError(["at most \(SweepFile.maximumRuns)"]) {
    _ = try SweepFile.parse(text: "name: t\nseeds: 1000000000", source: "s.yaml")
  }
  expectConfigError(["random.seed must be a non-negative integer", "-1"]) {
    _ = try SweepFile.parse(
      text: "name: t\nrandom: {samples: 2, seed: -1, axes: {epochs: {int-uniform: [1, 5]}}}",
      source: "s.yaml")
  }
  expectConfigError(["int-uniform", "magnitude at most 2^53"]) {
    _ = try SweepFile.parse(
      text: "name: t\nrandom: {samples: 2, axes: {epochs: {int-uniform: [1, 1e300]}}}",
      source: "s.yaml")
  }
  expectConfigError(["int-uniform", "integers"]) {
    _ = try SweepFile.parse(
      text: "name: t\nrandom: {samples: 2, axes: {epochs: {int-uniform: [1.5, 3]}}}",
      source: "s.yaml")
  }
}

@Test func intUniformDrawsCoverTheClosedRangeOnly() throws {
  let sweep = try SweepFile.parse(
    text: "name: t\nrandom: {samples: 400, seed: 3, axes: {epochs: {int-uniform: [2, 4]}}}",
    source: "s.yaml")
  // 400 draws from three values: each appears (the chance that one is missing is
  // 3·(2/3)^400 ≈ 1e-70), and nothing outside [2, 4] does.
  #expect(Set(sweep.runs.map(\.configuration.epochs)) == [2, 3, 4])
}

@Test func hugeSweepsAreRefusedBeforeExpansion() {
  // 10 lists of 10 values: 10¹⁰ runs. Refused from the counts alone, before any run is built
  // (expanding them would take hours).
  let axes = (0..<10).map { "  x\($0): [\((0..<10).map(String.init).joined(separator: ","))]" }
  let text = "name: t\ngrid:\n" + axes.joined(separator: "\n")
  let start = Date()
  expectConfigError(["10000000000 runs", "at most \(SweepFile.maximumRuns)"]) {
    _ = try SweepFile.parse(text: text, source: "s.yaml")
  }
  #expect(Date().timeIntervalSince(start) < 5)
}

@Test func runAndConditionNamesCannotLeaveTheRunsDirectory() {
  for name in ["..", ".", ".hidden", "a/b"] {
    expectConfigError(["name must be a string of letters"]) {
      _ = try SweepFile.parse(text: "name: \"\(name)\"", source: "s.yaml")
    }
    expectConfigError(["conditions[0]", "name must be a string of letters"]) {
      _ = try ProtocolFile.parse(
        text: "name: p\nseeds: 2\nconditions: [{name: \"\(name)\"}]", source: "p.yaml")
    }
  }
}

import Foundation
import Testing

/// `crit demo --config FILE`: a protocol file with a non-spectral condition runs end to end and
/// writes a run directory per condition and seed, and the report.
@Test func demoRunsAProtocolFile() throws {
  let file = temporaryPath(
    "protocol.yaml",
    contents: """
      name: tiny
      seeds: 2
      base:
        epochs: 2
        hidden: [16, 16]
        data: {count: 200}
        indicators: {every: 2, boundaryResolution: 32}
      conditions:
        - name: baseline
        - name: dropout
          set: {dropout: 0.1}
      """)
  let parent = URL(fileURLWithPath: file).deletingLastPathComponent().path + "/runs"
  let (status, errors) = runCrit(["demo", "--quiet", "--config", file, "--runs", parent])
  #expect(status == 0, "\(errors)")
  for condition in ["baseline", "dropout"] {
    for seed in 0..<2 {
      let config = try String(
        contentsOfFile: "\(parent)/tiny/\(condition)/seed-\(seed)/config.json", encoding: .utf8)
      #expect(config.contains("\"dropout\" : \(condition == "dropout" ? "0.1" : "0")"))
    }
  }
  #expect(FileManager.default.fileExists(atPath: "\(parent)/tiny/report.html"))
}

/// Bad protocol input exits 2 with one line and starts nothing: no run directory appears.
@Test(arguments: [
  ("conditions:\n  - name: a\n  - name: b\n    set: {dropuot: 0.1}\n", [], "did you mean dropout?"),
  ("conditions:\n  - name: a\n  - name: b\n", ["--set", "base.epochs=0"], "epochs"),
  (
    "conditions:\n  - name: a\n  - name: b\n    set: {data.noise: 0.3}\n", [],
    "same data"
  ),
  ("conditions:\n  - name: a\n  - name: b\n", ["--seeds", "3"], "cannot be combined"),
])
func badDemoProtocolStartsNothing(text: String, extra: [String], fragment: String) {
  let file = temporaryPath("protocol.yaml", contents: text)
  let parent = URL(fileURLWithPath: file).deletingLastPathComponent().path + "/runs"
  let (status, errors) = runCrit(
    ["demo", "--quiet", "--config", file, "--runs", parent] + extra)
  #expect(status == 2)
  #expect(errors.count == 1)
  #expect(errors.first?.contains(fragment) == true, "\(errors)")
  #expect(!FileManager.default.fileExists(atPath: parent))
}

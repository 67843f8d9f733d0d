import Experiments
import Foundation
import Testing

/// A script's `RESULT` lines become rows (snake_case keys, a missing goal as nil), other lines
/// are ignored, the goal is judged on the ratio, and a malformed line is an error, not a row
/// lost in silence.
@Test func benchmarkRowsComeFromResultLines() throws {
  let output = """
    crit 32²×1000 (1 thread(s)): 150,000 pixel-steps/s
    RESULT {"benchmark": "b", "setting": "1 thread(s)", "unit": "s", "higher_is_better": false, \
    "crit": 2.0, "peer": 9.0, "ratio": 4.5, "peer_name": "peer 1.0", "goal": 4, \
    "agreement": "equal", "note": ""}
    ratio crit / JAX: 2.94×
    RESULT {"benchmark": "c", "setting": "2", "unit": "pixel-steps/s", "higher_is_better": true, \
    "crit": 3.0, "peer": 2.0, "ratio": 1.5, "peer_name": "JAX", "goal": null, \
    "agreement": "", "note": "n"}
    """
  let rows = try BenchmarkSuite.rows(fromOutput: output)
  #expect(rows.map(\.benchmark) == ["b", "c"])
  #expect(rows[0].meetsGoal == true && rows[0].peerName == "peer 1.0" && !rows[0].higherIsBetter)
  #expect(rows[1].goal == nil && rows[1].meetsGoal == nil)
  #expect(throws: (any Error).self) {
    try BenchmarkSuite.rows(fromOutput: "RESULT {\"benchmark\": 1}")
  }
}

/// The step benchmark's JSON becomes a row held to 90 % of sgemm, and the Markdown section
/// replaces exactly the part between the markers (text around it kept), naming the provenance
/// and each row's goal verdict; a file without the markers is refused.
@Test func benchmarkSectionReplacesTheMarkedPart() throws {
  let step = try BenchmarkSuite.trainingStepRow(
    json: """
      {"widths": [784, 1024, 1024, 10], "batchSize": 256, "threads": 1, "steps": 20, \
      "flopsPerStep": 2.45e9, "secondsPerStep": 0.035, "stepGFLOPS": 70.0, "sgemmGFLOPS": 80.0, \
      "fractionOfSgemm": 0.875, "blasCore": "Cooperlake"}
      """)
  #expect(step.goal == 0.9 && step.meetsGoal == false && step.ratio == 0.875)
  let section = BenchmarkSuite.markdown([step], provenance: "Measured at commit abc.")
  #expect(section.hasPrefix(BenchmarkSuite.beginMarker))
  #expect(section.hasSuffix(BenchmarkSuite.endMarker))
  #expect(section.contains("Measured at commit abc."))
  #expect(section.contains("87.5 % (90 %: not met)"))
  let document =
    "# Title\n\n\(BenchmarkSuite.beginMarker)\nold\n\(BenchmarkSuite.endMarker)\n\nafter\n"
  let updated = try BenchmarkSuite.replacingSection(in: document, with: section)
  #expect(updated == "# Title\n\n\(section)\n\nafter\n")
  #expect(throws: BenchmarkSuiteError.self) {
    try BenchmarkSuite.replacingSection(in: "# no markers", with: section)
  }
}

/// The provenance line names the checkout's commit as git reports it (a real git run in this
/// repository), the date and the command.
@Test func benchmarkProvenanceNamesTheCommit() throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
  let line = BenchmarkSuite.provenance(repository: root, quick: true)
  #expect(line.hasPrefix("Measured by `crit bench all --quick --update docs/benchmarks.md` on "))
  let commit = try #require(line.firstMatch(of: /at commit ([0-9a-f]{7,}),/)?.output.1)
  #expect(commit.count >= 7)
}

import ArgumentParser
import Experiments
import Foundation

/// `crit bench all`: every headline comparison with a peer, run one after the other from the
/// repository (the comparison scripts in bench/ install their peers), one table, and the
/// section of docs/benchmarks.md between its markers regenerated with `--update`.
struct BenchAllCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "all",
    abstract: "Run every comparison with a peer and print one table of ratios (about 15 min).",
    discussion: """
      Runs, from --repository (a checkout of crit holding bench/): the MLP step against sgemm \
      at 1 and 2 threads, the trainability image against JAX (both forms) at 1 and 2 threads, \
      the memory-capacity sweep against reservoirpy, crit analyze of a 4096² matrix against \
      WeightWatcher, and the seed experiment against PyTorch at 1 and 2 cores. Each script's \
      output goes to --logs. --quick shrinks every problem to check the machinery (its figures \
      are not for publishing).
      """)

  @Option(help: "The crit checkout whose bench/ scripts run (default: the current directory).")
  var repository = "."

  @Option(help: "Replace the section between the bench-all markers of this Markdown file.")
  var update: String?

  @Option(help: "Write the rows as JSON here.")
  var json: String?

  @Option(help: "Directory for each task's output (default: a new temporary one).")
  var logs: String?

  @Flag(help: "Small problems: a quick check of the suite, not figures to publish.")
  var quick = false

  func run() throws {
    let root = URL(fileURLWithPath: repository).standardizedFileURL.path
    guard FileManager.default.fileExists(atPath: root + "/bench/compare-demo.sh") else {
      throw ValidationError("--repository: \(root) holds no bench/ scripts of crit")
    }
    if let json { try OutputPath.checkFile(json, option: "--json") }
    if let update, !FileManager.default.isWritableFile(atPath: update) {
      throw ValidationError("--update: \(update) is not a writable file")
    }
    let logDirectory =
      logs
      ?? FileManager.default.temporaryDirectory.appendingPathComponent(
        "crit-bench-\(ProcessInfo.processInfo.processIdentifier)"
      ).path
    try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
    let entries = BenchmarkSuite.entries(crit: Self.ownExecutable(), quick: quick)
    var rows: [BenchmarkRow] = []
    var failures: [String] = []
    let clock = ContinuousClock()
    for (k, entry) in entries.enumerated() {
      let start = clock.now
      let log = "\(logDirectory)/\(k + 1).log"
      FileHandle.standardError.write(Data("[\(k + 1)/\(entries.count)] \(entry.name) …\n".utf8))
      do {
        rows += try BenchmarkSuite.run(entry, in: root, log: log)
      } catch {
        failures.append("\(error)")
      }
      let seconds = (clock.now - start).inSeconds
      FileHandle.standardError.write(Data(String(format: "    %.0f s\n", seconds).utf8))
    }
    print(
      renderTable(
        header: ["benchmark", "setting", "crit", "peer", "ratio", "goal"],
        rows: rows.map { r in
          [
            r.benchmark, r.setting, String(format: "%.4g", r.crit),
            "\(r.peerName): " + String(format: "%.4g", r.peer), String(format: "%.2f", r.ratio),
            r.goal.map { String(format: "%g", $0) + (r.meetsGoal == true ? " met" : " not met") }
              ?? "",
          ]
        }))
    if let json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try encoder.encode(rows).write(to: URL(fileURLWithPath: json))
    }
    if let update {
      let text = try String(contentsOfFile: update, encoding: .utf8)
      let section = BenchmarkSuite.markdown(
        rows, provenance: BenchmarkSuite.provenance(repository: root, quick: quick))
      try BenchmarkSuite.replacingSection(in: text, with: section)
        .write(toFile: update, atomically: true, encoding: .utf8)
    }
    guard failures.isEmpty else {
      throw ValidationError(failures.joined(separator: "; "))
    }
  }

  static func ownExecutable() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }
}

import Foundation
import Tensors

/// One line of the combined benchmark table of `crit bench all`: crit and its strongest peer
/// on one task, timed in the same run on the same machine, with the ratio (crit's advantage:
/// peer / crit for times, crit / peer for rates), the goal the ratio is held to, and what shows
/// the two computed the same thing. The comparison scripts in `bench/` print one per task as
/// `RESULT {json}` (snake_case keys).
public struct BenchmarkRow: Codable, Sendable, Equatable {
  public var benchmark: String
  public var setting: String
  public var unit: String
  public var higherIsBetter: Bool
  public var crit: Double
  public var peer: Double
  public var ratio: Double
  public var peerName: String
  public var goal: Double?
  public var agreement: String
  public var note: String

  public init(
    benchmark: String, setting: String, unit: String, higherIsBetter: Bool, crit: Double,
    peer: Double, ratio: Double, peerName: String, goal: Double?, agreement: String, note: String
  ) {
    (self.benchmark, self.setting, self.unit, self.higherIsBetter) =
      (benchmark, setting, unit, higherIsBetter)
    (self.crit, self.peer, self.ratio, self.peerName, self.goal) = (
      crit, peer, ratio, peerName, goal
    )
    (self.agreement, self.note) = (agreement, note)
  }

  /// Whether the ratio reaches the goal (nil without one).
  public var meetsGoal: Bool? { goal.map { ratio >= $0 } }

  enum CodingKeys: String, CodingKey {
    case benchmark, setting, unit, crit, peer, ratio, goal, agreement, note
    case higherIsBetter = "higher_is_better"
    case peerName = "peer_name"
  }
}

/// One task of the suite: a command run from the repository root (a comparison script, or crit
/// itself), and how its output becomes rows.
public struct BenchmarkSuiteEntry: Sendable {
  public var name: String
  public var arguments: [String]
  public var environment: [String: String]
  /// `crit bench step --json` is crit against the same-run sgemm, not a script: its JSON
  /// becomes the row.
  public var isTrainingStep: Bool
}

/// `crit bench all`: every headline comparison in one run, one table, and the section of
/// docs/benchmarks.md regenerated from it (between ``BenchmarkSuite/beginMarker`` and
/// ``BenchmarkSuite/endMarker``).
public enum BenchmarkSuite {
  public static let beginMarker = "<!-- crit bench all: begin -->"
  public static let endMarker = "<!-- crit bench all: end -->"

  /// The tasks, in the order they run; `quick` shrinks every problem (a smoke run of the
  /// machinery, not figures to publish).
  public static func entries(crit: String, quick: Bool) -> [BenchmarkSuiteEntry] {
    let (resolution, steps) = quick ? ("16", "200") : ("32", "1000")
    let demoEpochs = quick ? "20" : "200"
    func script(
      _ name: String, _ file: String, _ arguments: [String], _ env: [String: String] = [:]
    )
      -> BenchmarkSuiteEntry
    {
      BenchmarkSuiteEntry(
        name: name, arguments: ["bash", "bench/\(file)"] + arguments, environment: env,
        isTrainingStep: false)
    }
    func step(_ threads: Int) -> BenchmarkSuiteEntry {
      BenchmarkSuiteEntry(
        name: "MLP training step, \(threads) thread(s)",
        arguments: [crit, "bench", "step", "--threads", "\(threads)", "--json"]
          + (quick ? ["--steps", "3"] : []), environment: [:], isTrainingStep: true)
    }
    return [
      step(1), step(2),
      script(
        "trainability, 1 thread", "compare-trainability.sh", ["1", resolution, steps],
        ["REPEATS": "1"]),
      script(
        "trainability, 2 threads", "compare-trainability.sh", ["2", resolution, steps],
        ["REPEATS": "1"]),
      script("memory capacity, 1 thread", "compare-reservoir.sh", ["1"]),
      script("crit analyze", "compare-analyze.sh", [quick ? "1024" : "4096"]),
      script("seed experiment, 1 core", "compare-demo.sh", ["1", demoEpochs, "1"]),
      script("seed experiment, 2 cores", "compare-demo.sh", ["2", demoEpochs]),
    ]
  }

  /// The rows in a script's output: every line `RESULT {json}`.
  public static func rows(fromOutput output: String) throws -> [BenchmarkRow] {
    try output.split(separator: "\n").compactMap { line -> BenchmarkRow? in
      guard line.hasPrefix("RESULT ") else { return nil }
      return try JSONDecoder().decode(BenchmarkRow.self, from: Data(line.dropFirst(7).utf8))
    }
  }

  /// The row of `crit bench step --json`: the step's rate against sgemm at the same shapes,
  /// held to 90 %.
  public static func trainingStepRow(json: String) throws -> BenchmarkRow {
    let r = try JSONDecoder().decode(TrainingStepBenchmark.self, from: Data(json.utf8))
    return BenchmarkRow(
      benchmark:
        "MLP training step \(r.widths.map(String.init).joined(separator: "→")), batch \(r.batchSize)",
      setting: "\(r.threads) thread(s)", unit: "GFLOP/s", higherIsBetter: true,
      crit: r.stepGFLOPS, peer: r.sgemmGFLOPS, ratio: r.fractionOfSgemm,
      peerName: "sgemm, same shapes (OpenBLAS \(r.blasCore))", goal: 0.9,
      agreement: "the same products", note: "ratio is the fraction of sgemm")
  }

  /// Runs `entry` from `directory`, its output (standard output and error) written to `log`;
  /// returns its rows, or throws naming the entry and its exit status.
  public static func run(_ entry: BenchmarkSuiteEntry, in directory: String, log: String) throws
    -> [BenchmarkRow]
  {
    guard FileManager.default.createFile(atPath: log, contents: nil) else {
      throw BenchmarkSuiteError("cannot write the log \(log)")
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    defer { try? handle.close() }
    let (status, output) = try capture(
      entry.arguments, in: directory, environment: entry.environment, errors: handle)
    handle.write(output)
    let text = String(decoding: output, as: UTF8.self)
    guard status == 0 else {
      throw BenchmarkSuiteError(
        "\(entry.name): `\(entry.arguments.joined(separator: " "))` exited with status "
          + "\(status); its output is in \(log)")
    }
    let rows = try entry.isTrainingStep ? [trainingStepRow(json: text)] : rows(fromOutput: text)
    guard !rows.isEmpty else {
      throw BenchmarkSuiteError("\(entry.name): no RESULT line in its output (\(log))")
    }
    return rows
  }

  /// Runs `arguments` (looked up on the PATH) from `directory` with `environment` added to this
  /// process's; returns its exit status and standard output, its standard error going to
  /// `errors`.
  static func capture(
    _ arguments: [String], in directory: String, environment: [String: String] = [:],
    errors: FileHandle = .nullDevice
  ) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = errors
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  /// Where the figures come from: the date, the checkout's commit, the processor and the
  /// command that wrote them.
  public static func provenance(repository: String, quick: Bool) -> String {
    let commit =
      (try? capture(["git", "rev-parse", "--short", "HEAD"], in: repository)).flatMap {
        $0.status == 0
          ? String(decoding: $0.output, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
          : nil
      } ?? "unknown"
    let cpu =
      (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
      .split(separator: "\n").first { $0.hasPrefix("model name") }?
      .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown processor"
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let date = ISO8601DateFormatter().string(from: Date()).prefix(10)
    return "Measured by `crit bench all\(quick ? " --quick" : "") --update docs/benchmarks.md` on "
      + "\(date) at commit \(commit), on \(cpu) (\(cores) cores; OpenBLAS "
      + "\(LinearAlgebraThreads.coreName) kernels), one task after the other."
  }

  /// The Markdown section: where and how it was measured, then one table row per result.
  public static func markdown(_ rows: [BenchmarkRow], provenance: String) -> String {
    func value(_ x: Double, _ unit: String) -> String {
      switch unit {
      case "s": String(format: "%.2f s", x)
      case "GFLOP/s": String(format: "%.1f GFLOP/s", x)
      default: (x >= 1e4 ? String(format: "%.0f", x) : String(format: "%.3g", x)) + " " + unit
      }
    }
    var lines = [
      beginMarker, "", provenance, "",
      "| benchmark | setting | crit | peer | ratio (goal) | same result | note |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows {
      let ratio =
        r.unit == "GFLOP/s"
        ? String(format: "%.1f %%", 100 * r.ratio) : String(format: "%.2f×", r.ratio)
      let goal =
        r.goal.map { g in
          let text = r.unit == "GFLOP/s" ? String(format: "%.0f %%", 100 * g) : "\(Int(g))×"
          return " (\(text): \(r.meetsGoal == true ? "met" : "not met"))"
        } ?? ""
      lines.append(
        "| \(r.benchmark) | \(r.setting) | \(value(r.crit, r.unit)) | \(r.peerName): "
          + "\(value(r.peer, r.unit)) | \(ratio)\(goal) | \(r.agreement) | \(r.note) |")
    }
    lines += ["", endMarker]
    return lines.joined(separator: "\n")
  }

  /// `text` with the part from ``beginMarker`` to ``endMarker`` replaced by `section` (which
  /// carries both markers); throws when the markers are missing or out of order.
  public static func replacingSection(in text: String, with section: String) throws -> String {
    guard let begin = text.range(of: beginMarker), let end = text.range(of: endMarker),
      begin.lowerBound < end.lowerBound
    else {
      throw BenchmarkSuiteError(
        "the file has no section between \(beginMarker) and \(endMarker) to replace")
    }
    return text.replacingCharacters(in: begin.lowerBound..<end.upperBound, with: section)
  }
}

/// A benchmark task that failed or a file that could not be updated.
public struct BenchmarkSuiteError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

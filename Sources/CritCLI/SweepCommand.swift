import ArgumentParser
import Experiments
import Foundation
import Sweeps

/// `crit sweep FILE`: expands a sweep file, records it in a results store, and works through
/// its runs with N worker threads. Re-running resumes: finished runs are never recomputed.
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run every configuration of a sweep file into a results store (resumable).")

  @Argument(help: "Sweep file (YAML or JSON).")
  var file: String

  @Option(help: "Results store URL (default: sqlite:runs/<sweep name>/sweep.sqlite).")
  var store: String?

  @Option(help: "Worker threads (default: every core).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(
    help:
      "Seconds a claimed run stays reserved without renewal (a dead worker's run is reclaimed after this)."
  )
  var lease = 60.0

  @Flag(help: "Expand and validate the sweep, print its runs, and stop.")
  var dryRun = false

  @Flag(help: "No progress bar.")
  var quiet = false

  @Flag(
    help:
      "Write a Slurm job-array script whose tasks are workers on the store, instead of running here."
  )
  var slurm = false

  @Flag(help: "With --slurm: submit the script with sbatch.")
  var submit = false

  @Option(help: "With --slurm: array tasks (workers).")
  var array = 4

  func run() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs: must be at least 1, got \(jobs)") }
    guard lease > 0 && lease.isFinite else {
      throw ValidationError("--lease: must be a positive number of seconds, got \(lease)")
    }
    let sweep = try SweepFile.load(path: file)
    try OutputPath.checkName(sweep.name, option: "\(file): name")
    // Every data set must load before anything starts.
    try checkDataAndMemory(sweep.runs.map(\.configuration))
    if dryRun {
      for (i, run) in sweep.records.enumerated() {
        print(
          "\(i + 1)\t\(run.hash)\t\(run.assignments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        )
      }
      return
    }
    let url = store ?? "sqlite:runs/\(sweep.name)/sweep.sqlite"
    let results = try openStore(url)
    let specification = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    try results.register(
      sweep: sweep.name, specification: specification, kind: sweep.kind.name,
      runs: sweep.records)
    if slurm {
      try writeSlurmScript(sweep: sweep.name, store: url)
      return
    }
    let (before, after, seconds) = try runWorkers(
      store: results, url: url, sweep: sweep.name, jobs: jobs, lease: lease, quiet: quiet)
    let ranNow = after.finished - before.finished
    print(
      renderTable(
        header: ["", "value"],
        rows: [
          ["sweep", "\(sweep.name) (\(after.total) \(sweep.kind.name) runs)"],
          [
            "finished",
            "\(after.finished) (\(after.completed) completed, \(after.diverged) diverged\(after.failed > 0 ? ", \(after.failed) failed" : ""))",
          ],
          [
            "this invocation",
            "\(ranNow) runs in \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", Double(ranNow) / max(seconds, 1e-9))) runs/s)",
          ],
          ["store", url],
        ]))
    print(groupTable(try results.runs(sweep: sweep.name)))
  }
}

extension SweepCommand {
  /// Writes `runs/<name>/sweep.sbatch`: a job array of `--array` tasks, each a one-thread
  /// `crit sweep` worker on the same store (the sweep is already registered there), and
  /// submits it with `--submit`.
  func writeSlurmScript(sweep name: String, store url: String) throws {
    guard array >= 1 else { throw ValidationError("--array: must be at least 1, got \(array)") }
    let directory = URL(fileURLWithPath: "runs/\(name)").standardizedFileURL.path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    let executablePath =
      FileManager.default.isExecutableFile(atPath: executable) ? executable : "crit"
    let absoluteFile = URL(fileURLWithPath: file).standardizedFileURL.path
    let absoluteStore =
      url.hasPrefix("sqlite:")
      ? "sqlite:" + URL(fileURLWithPath: String(url.dropFirst(7))).standardizedFileURL.path : url
    let script = """
      #!/bin/bash
      #SBATCH --job-name=crit-\(name)
      #SBATCH --array=0-\(array - 1)
      #SBATCH --cpus-per-task=1
      #SBATCH --output=\(directory)/slurm-%A_%a.out
      # Each array task is one worker on the shared store; workers claim runs atomically, so
      # tasks can start, die and be resubmitted in any order.
      cd \(FileManager.default.currentDirectoryPath)
      exec \(executablePath) sweep \(absoluteFile) --store \(absoluteStore) --jobs 1 --quiet --lease \(lease)
      """
    let path = "\(directory)/sweep.sbatch"
    try (script + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    print(path)
    guard submit else { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sbatch", "--parsable", path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    process.waitUntilExit()
    let job = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0 else {
      throw ValidationError(
        "--submit: sbatch failed (status \(process.terminationStatus)); is Slurm running? (scripts/slurm-local.sh starts a local one)"
      )
    }
    print("submitted job \(job)")
  }
}

/// Final test accuracy and loss per group of runs that differ only by seed: the sweep report's
/// comparison table (mean ± 95 % CI of the runs that count, diverged and missing runs counted).
func groupTable(_ runs: [StoredRun]) -> String {
  let finished = runs.filter(\.status.isResult)
  guard !finished.isEmpty else { return "" }
  let axes = Set(finished.flatMap(\.assignments.keys)).subtracting(["seed"]).sorted()
  let table = SweepReport(name: "", runs: finished, keys: axes, baseline: nil).comparisonTable()
  let sizes = SweepReport(name: "", runs: finished, keys: axes, baseline: nil).groups.map(
    \.runs.count)
  return renderTable(
    header: ["configuration", "runs"] + table.blocks.map { $0.name + " (95% CI)" },
    rows: table.groups.indices.map { g in
      [table.groups[g], "\(sizes[g])"] + table.blocks.indices.map { table.summaryText(g, $0) }
    })
}
/// Ctrl-C during `crit sweep`: finished runs are in the store; running ones were given back.

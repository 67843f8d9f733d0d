import ArgumentParser
import Foundation

/// The options every protocol of `crit run` that goes through a results store shares: where
/// the store and the protocol's directory are, the worker threads, the lease of a claimed run
/// and the progress bar.
struct ProtocolRunOptions: ParsableArguments {
  @Option(
    help:
      "Results store URL, postgres://… to share the work between machines (default: sqlite:runs/<name>/sweep.sqlite for asisr, store.sqlite for the others)."
  )
  var store: String?

  @Option(help: "Parent directory of the protocol's directory.")
  var runs = "runs"

  @Option(help: "Worker threads (default: every core).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(
    help:
      "Seconds a claimed run stays reserved without renewal (default: asisr 120, reservoir 60, scaling 300)."
  )
  var lease: Double?

  @Flag(help: "No progress bar.")
  var quiet = false

  func validate() throws {
    try checkCount(jobs, "--jobs", 1...OptionLimits.threads)
    if let lease, !(lease > 0 && lease.isFinite) {
      throw ValidationError("--lease: must be a positive number of seconds, got \(lease)")
    }
  }

  /// The protocol's directory under `--runs`, checked to be usable.
  func directory(for name: String) throws -> String {
    let directory = "\(runs)/\(name)"
    try OutputPath.checkDirectory(directory, option: "--runs")
    return directory
  }

  /// `--store`, or the SQLite file `file` in the protocol's directory.
  func storeURL(directory: String, file: String = "sweep.sqlite") -> String {
    store ?? "sqlite:\(directory)/\(file)"
  }
}

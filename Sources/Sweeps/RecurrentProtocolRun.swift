import Experiments
import Foundation
import Runner

extension RecurrentProtocol {
  /// The protocol's runs as runs of kind `rnn`, with their task, condition and seed as axis
  /// values.
  public func plannedRuns() throws -> [PlannedRun] {
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    return try runs.map { run in
      try run.configuration.validate()
      let json = String(decoding: try encoder.encode(run.configuration), as: UTF8.self)
      return PlannedRun(
        hash: recordHash(kind: RecurrentKind.name, configuration: json), configuration: json,
        assignments: ["task": run.task, "condition": run.condition, "seed": "\(run.seed)"])
    }
  }

  /// Runs the protocol through a results store: registers its runs under `sweep` (runs that
  /// finished there before are kept: an interrupted protocol resumes, and other processes
  /// sharing the store may work on it at the same time), works on them with `jobs` worker
  /// threads, then reads every finished run back and writes its directory under `directory`
  /// (`<task>/<condition>/seed-k/record.json` and `metrics.csv`, a cache of the store for
  /// people and other tools). Returns the finished runs' records in the order of ``runs``.
  public func run(
    store: any ResultStore, sweep: String, directory: String, jobs: Int, lease: Double = 60,
    stop: StopFlag = StopFlag(),
    progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
  ) throws -> [RecurrentRunRecord] {
    let planned = try plannedRuns()
    try store.register(
      sweep: sweep, specification: "crit run reservoir", kind: RecurrentKind.name, runs: planned)
    let done = LockedBox(try store.progress(sweep: sweep).finished)
    progress(done.current, planned.count)
    try SweepWorker.pool(store: store, sweep: sweep, jobs: jobs, lease: lease, stop: stop) {
      _, _ in
      done.withLock { count in
        count += 1
        progress(count, planned.count)
      }
    }
    let stored = Dictionary(
      try store.runs(sweep: sweep).filter(\.status.isResult).map { ($0.hash, $0) },
      uniquingKeysWith: { first, _ in first })
    return try zip(runs, planned).compactMap { run, plan in
      guard let record = try stored[plan.hash].map({ try RecurrentRunRecord(run, $0) }) else {
        return nil
      }
      let path = "\(directory)/\(run.path)"
      if !FileManager.default.fileExists(atPath: "\(path)/record.json") {
        try record.write(to: path)
      }
      return record
    }
  }
}

extension RecurrentRunRecord {
  /// A protocol run's record read back from the store.
  init(_ run: RecurrentProtocol.Run, _ stored: StoredRun) throws {
    let detail = try stored.detail.map {
      try JSONDecoder.forRuns.decode(RecurrentRunDetail.self, from: Data($0.utf8))
    }
    let metrics = stored.epochs.enumerated().map { i, epoch in
      let v = epoch.values
      return RecurrentEpochMetrics(
        epoch: epoch.epoch, trainLoss: v["trainLoss"] ?? .nan, testLoss: v["testLoss"] ?? .nan,
        testAccuracy: v["testAccuracy"],
        testAccuracyPerHead: detail.flatMap {
          i < $0.testAccuracyPerHead.count ? $0.testAccuracyPerHead[i] : nil
        },
        testNRMSE: v["testNRMSE"], spectralRadius: v["spectralRadius"] ?? .nan,
        sigmaMax: v["sigmaMax"] ?? .nan, chi1: v["chi1"] ?? .nan, target: v["target"],
        learningRate: v["learningRate"] ?? .nan)
    }
    let status: RunStatus
    if case .diverged(let epoch) = stored.status {
      status = .diverged(epoch: epoch ?? metrics.count + 1)
    } else {
      status = .completed
    }
    self.init(
      condition: run.condition, task: run.task, seed: run.seed, status: status, metrics: metrics,
      drivenLyapunovSpectrum: detail?.drivenLyapunovSpectrum, seconds: stored.seconds ?? 0,
      configuration: run.configuration)
  }
}

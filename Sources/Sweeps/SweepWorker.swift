import Experiments
import Foundation
import Runner

/// A worker: claims runs of one sweep from a store until none is left, carries out each with
/// its kind (``ExperimentKinds``), renews its lease while the run goes on (at most every third
/// of the lease), and stores the outcome.
///
/// If the lease is lost (the worker was too slow and another worker reclaimed the run), the
/// run stops at its next epoch and nothing is stored. On a stop request (Ctrl-C) the current
/// run is given back unfinished. A run that throws (its data will not load) is stored as
/// failed with the error's message; the sweep goes on.
public struct SweepWorker: Sendable {
  public var store: any ResultStore
  public var sweep: String
  public var worker: String
  /// Seconds a claim stays valid without renewal.
  public var lease: Double
  /// Where a claimed run writes its files (``RunContext/artifacts``), if anywhere.
  public var artifacts: @Sendable (ClaimedRun) -> String?
  /// Hears every epoch of every run this worker carries out (``RunContext/epoch``).
  public var onEpoch: @Sendable ([String: Double]) -> Void

  public init(
    store: any ResultStore, sweep: String, worker: String, lease: Double,
    artifacts: @escaping @Sendable (ClaimedRun) -> String? = { _ in nil },
    onEpoch: @escaping @Sendable ([String: Double]) -> Void = { _ in }
  ) {
    self.store = store
    self.sweep = sweep
    self.worker = worker
    self.lease = lease
    self.artifacts = artifacts
    self.onEpoch = onEpoch
  }

  /// Runs until every run of the sweep is finished or `stop` is set; returns the runs this
  /// worker completed. While other workers hold the last runs it waits for them to finish
  /// or for their leases to expire.
  @discardableResult
  public func work(
    stop: StopFlag, onFinished: @Sendable (ClaimedRun, RunOutcome) -> Void = { _, _ in }
  ) throws -> Int {
    let store = self.store
    let (worker, lease) = (self.worker, self.lease)
    var contexts: [String: RunContext] = [:]
    var done = 0
    // The wait between looks while other workers hold the last runs: from 20 ms, growing by
    // half each time up to a quarter of the lease (at most 2 s), so that a worker of this
    // process notices a finished sweep at once and a long wait costs the store little.
    var wait = 0.02
    while !stop.isStopped {
      guard let run = try store.claim(sweep: sweep, worker: worker, lease: lease) else {
        // Nothing to claim now. Runs still held by other workers may finish, or their
        // leases may expire (a dead worker): wait for either, then look again.
        if try store.progress(sweep: sweep).running == 0 { break }
        Thread.sleep(forTimeInterval: wait)
        wait = min(wait * 1.5, max(min(lease / 4, 2), 0.02))
        continue
      }
      wait = 0.02
      let lost = StopFlag()
      let lastRenewal = LockedBox(Date())
      let heartbeat: @Sendable () -> Void = {
        let due = lastRenewal.withLock { last in
          guard Date().timeIntervalSince(last) > lease / 3 else { return false }
          last = Date()
          return true
        }
        if due, (try? store.renew(run: run.id, worker: worker, lease: lease)) != true {
          lost.stop()
        }
      }
      // One context per kind and worker: the cache (loaded data sets) outlives the run.
      let cache = contexts[run.kind]?.cache ?? [:]
      let context = RunContext(
        shouldStop: { stop.isStopped || lost.isStopped }, heartbeat: heartbeat,
        artifacts: artifacts(run), epoch: onEpoch)
      context.cache = cache
      var outcome: RunOutcome?
      do {
        outcome = try ExperimentKinds.named(run.kind, source: "run \(run.id)")
          .run(configuration: run.configurationJSON, context: context)
      } catch {
        outcome = RunOutcome(end: .failed(message: ConfigurationFile.firstLine(error)))
      }
      contexts[run.kind] = context
      guard let outcome else {
        if !lost.isStopped { try store.release(run: run.id, worker: worker) }
        continue
      }
      if try store.complete(run: run.id, worker: worker, outcome: outcome) {
        done += 1
        onFinished(run, outcome)
      }
    }
    return done
  }
}

extension SweepWorker {
  /// Runs `jobs` workers (threads of this process, `worker-tK`) on `sweep` until every run is
  /// finished or `stop` is set; an error in one worker stops the others at their next run and
  /// is thrown. `onFinished` hears every run completed here; `artifacts` and `onEpoch` are
  /// each worker's (``artifacts``, ``onEpoch``).
  public static func pool(
    store: any ResultStore, sweep: String, jobs: Int, lease: Double, stop: StopFlag,
    onFinished: @escaping @Sendable (ClaimedRun, RunOutcome) -> Void = { _, _ in },
    artifacts: @escaping @Sendable (ClaimedRun) -> String? = { _ in nil },
    onEpoch: @escaping @Sendable ([String: Double]) -> Void = { _ in }
  ) throws {
    _ = try ParallelMap.run(Array(0..<max(1, jobs)), jobs: max(1, jobs)) { _, index in
      let worker = SweepWorker(
        store: store, sweep: sweep, worker: workerIdentifier("t\(index)"), lease: lease,
        artifacts: artifacts, onEpoch: onEpoch)
      do {
        try worker.work(stop: stop, onFinished: onFinished)
      } catch {
        stop.stop()
        throw error
      }
    }
  }
}

import Data
import Experiments
import Foundation
import Runner

/// A worker: claims runs of one sweep from a store until none is left, trains each, renews
/// its lease while training (every third of the lease), and stores the outcome.
///
/// If the lease is lost (the worker was too slow and another worker reclaimed the run), the
/// training stops at the next epoch and nothing is stored. On a stop request (Ctrl-C) the
/// current run is given back unfinished.
public struct SweepWorker: Sendable {
  public var store: any ResultStore
  public var sweep: String
  public var worker: String
  /// Seconds a claim stays valid without renewal.
  public var lease: Double

  public init(store: any ResultStore, sweep: String, worker: String, lease: Double) {
    self.store = store
    self.sweep = sweep
    self.worker = worker
    self.lease = lease
  }

  /// Runs until every run of the sweep is finished or `stop` is set; returns the runs this
  /// worker completed. While other workers hold the last runs it waits for them to finish
  /// or for their leases to expire.
  @discardableResult
  public func work(
    stop: StopFlag, onFinished: @Sendable (ClaimedRun, TrainingResult) -> Void = { _, _ in }
  ) throws -> Int {
    var data: [DataConfiguration: (Dataset, Dataset)] = [:]
    var done = 0
    while !stop.isStopped {
      guard let run = try store.claim(sweep: sweep, worker: worker, lease: lease) else {
        // Nothing to claim now. Runs still held by other workers may finish, or their
        // leases may expire (a dead worker): wait for either, then look again.
        if try store.progress(sweep: sweep).running == 0 { break }
        Thread.sleep(forTimeInterval: min(max(lease / 4, 0.05), 2))
        continue
      }
      let key = run.configuration.data
      if data[key] == nil { data[key] = try key.load() }
      let (train, test) = data[key]!
      let lost = StopFlag()
      var lastRenewal = Date()
      let result = Experiments.train(
        run.configuration, train: train, test: test,
        shouldStop: { stop.isStopped || lost.isStopped },
        onEpoch: { _ in
          if Date().timeIntervalSince(lastRenewal) > lease / 3 {
            lastRenewal = Date()
            if (try? store.renew(run: run.id, worker: worker, lease: lease)) != true { lost.stop() }
          }
        })
      if case .interrupted = result.status {
        if !lost.isStopped { try store.release(run: run.id, worker: worker) }
        continue
      }
      if try store.complete(run: run.id, worker: worker, result: result) {
        done += 1
        onFinished(run, result)
      }
    }
    return done
  }
}

extension SweepWorker {
  /// Runs `jobs` workers (threads of this process, `worker-tK`) on `sweep` until every run is
  /// finished or `stop` is set; an error in one worker stops the others at their next run and
  /// is thrown. `onFinished` hears every run completed here.
  public static func pool(
    store: any ResultStore, sweep: String, jobs: Int, lease: Double, stop: StopFlag,
    onFinished: @escaping @Sendable (ClaimedRun, TrainingResult) -> Void = { _, _ in }
  ) throws {
    _ = try ParallelMap.run(Array(0..<max(1, jobs)), jobs: max(1, jobs)) { _, index in
      let worker = SweepWorker(
        store: store, sweep: sweep, worker: workerIdentifier("t\(index)"), lease: lease)
      do {
        try worker.work(stop: stop, onFinished: onFinished)
      } catch {
        stop.stop()
        throw error
      }
    }
  }
}

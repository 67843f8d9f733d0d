import Dispatch
import Experiments
import Foundation
import Sweeps
import Tensors
import Runner

/// Runs `jobs` worker threads on a sweep in `store` until every run is finished, with a
/// progress bar over the whole sweep; Ctrl-C gives the current runs back and throws
/// ``InterruptedSweep`` (the same command resumes). Returns the sweep's progress before and
/// after and the seconds taken.
func runWorkers(
  store results: any ResultStore, url: String, sweep name: String, jobs: Int, lease: Double,
  quiet: Bool
) throws -> (before: SweepProgress, after: SweepProgress, seconds: Double) {
  let before = try results.progress(sweep: name)
  let stop = StopFlag()
  let interrupt = installInterruptHandler(stop)
  defer { interrupt.cancel() }
  final class Progress: @unchecked Sendable {
    let lock = NSLock()
    var bar: ProgressBar
    var finished: Int
    init(_ bar: ProgressBar, finished: Int) {
      self.bar = bar
      self.finished = finished
    }
  }
  let progress = Progress(
    ProgressBar(total: before.total, unit: "run", enabled: !quiet), finished: before.finished)
  let clock = ContinuousClock()
  let start = clock.now
  let workers = max(1, min(jobs, before.total - before.finished))
  if workers > 1 { LinearAlgebraThreads.set(1) }
  final class Failure: @unchecked Sendable {
    let lock = NSLock()
    var error: Error?
  }
  let failure = Failure()
  DispatchQueue.concurrentPerform(iterations: workers) { index in
    let worker = SweepWorker(
      store: results, sweep: name, worker: workerIdentifier("t\(index)"), lease: lease)
    do {
      try worker.work(stop: stop) { _, result in
        progress.lock.withLock {
          progress.finished += 1
          let accuracy =
            result.metrics.last?.testAccuracy.map { String(format: "%.1f%%", 100 * $0) } ?? "–"
          progress.bar.update(completed: progress.finished, fields: [("last test acc", accuracy)])
        }
      }
    } catch {
      failure.lock.withLock { failure.error = error }
      stop.stop()
    }
  }
  progress.lock.withLock { progress.bar.finish() }
  if let error = failure.error { throw error }
  let after = try results.progress(sweep: name)
  let seconds = (clock.now - start).inSeconds
  if stop.isStopped {
    throw InterruptedSweep(finished: after.finished, total: after.total, store: url)
  }
  return (before, after, seconds)
}

/// Ctrl-C during a sweep: what is finished stays in the store.
struct InterruptedSweep: Error, CustomStringConvertible {
  var finished: Int
  var total: Int
  var store: String
  var description: String {
    "interrupted: \(finished) of \(total) runs are finished in \(store); run the same command again to resume"
  }
}

import Experiments
import Foundation
import Sweeps

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
  let bar = LockedBox(ProgressBar(total: before.total, unit: "run", enabled: !quiet))
  bar.withLock { $0.completed = before.finished }
  let clock = ContinuousClock()
  let start = clock.now
  let workers = max(1, min(jobs, before.total - before.finished))
  defer { bar.withLock { $0.finish() } }
  try SweepWorker.pool(store: results, sweep: name, jobs: workers, lease: lease, stop: stop) {
    run, outcome in
    let column = (try? ExperimentKinds.named(run.kind))?.reportColumns.first
    let shown =
      column.flatMap { c in
        outcome.summary[c.key].map { String(format: c.format, c.scale * $0) }
      } ?? "–"
    bar.withLock { $0.advance(fields: [("last " + (column?.title ?? "value"), shown)]) }
  }
  let after = try results.progress(sweep: name)
  let seconds = (clock.now - start).inSeconds
  if stop.isStopped {
    throw InterruptedSweep(finished: after.finished, total: after.total, store: url)
  }
  return (before, after, seconds)
}

import Data
import Dispatch
import Foundation
import Tensors

/// A flag that asks running work to stop at its next checkpoint (set by Ctrl-C).
public final class StopFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var stopped = false
  public init() {}
  public func stop() { lock.withLock { stopped = true } }
  public var isStopped: Bool { lock.withLock { stopped } }
}

/// Runs independent trainings on `jobs` worker threads, each run entirely on one thread with
/// one BLAS thread. Every run draws only from its own seeded streams, so the results are
/// identical to a serial run, in any order of completion. `onFinish` is called once per run,
/// serialised, as soon as it ends (to write its files right away).
public func trainInParallel(
  _ configurations: [TrainingConfiguration], train: Dataset, test: Dataset, jobs: Int,
  stop: StopFlag = StopFlag(),
  onEpoch: @escaping @Sendable (_ run: Int, EpochMetrics) -> Void = { _, _ in },
  onFinish: @escaping @Sendable (_ run: Int, TrainingResult) -> Void = { _, _ in }
) -> [TrainingResult?] {
  final class Shared: @unchecked Sendable {
    let lock = NSLock()
    var next = 0
    var results: [TrainingResult?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
  }
  let shared = Shared(count: configurations.count)
  let workers = max(1, min(jobs, configurations.count))
  if workers > 1 { LinearAlgebraThreads.set(1) }
  DispatchQueue.concurrentPerform(iterations: workers) { _ in
    while true {
      let index: Int? = shared.lock.withLock {
        guard shared.next < configurations.count, !stop.isStopped else { return nil }
        defer { shared.next += 1 }
        return shared.next
      }
      guard let index else { return }
      let result = Experiments.train(
        configurations[index], train: train, test: test, shouldStop: { stop.isStopped },
        onEpoch: { onEpoch(index, $0) })
      shared.lock.withLock {
        shared.results[index] = result
        onFinish(index, result)
      }
    }
  }
  return shared.results
}

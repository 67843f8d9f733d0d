import Data
import Dispatch
import Foundation
import Runner
import Tensors

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
  // Training cannot fail; a stopped run comes back `.interrupted`, an unstarted one `nil`.
  (try? ParallelMap.run(
    configurations, jobs: jobs, stop: stop, onResult: onFinish,
    { index, configuration in
      Experiments.train(
        configuration, train: train, test: test, shouldStop: { stop.isStopped },
        onEpoch: { onEpoch(index, $0) })
    })) ?? []
}

import Foundation
import Runner
import Testing

struct ItemFailed: Error, Equatable { var index: Int }

/// Results come back in input order and equal a serial run's, for any number of workers, with
/// items of very different durations.
@Test(arguments: [1, 2, 3, 8])
func resultsAreInInputOrderForAnyJobs(jobs: Int) throws {
  let items = Array(0..<50)
  let finished = LockedBox<[Int]>([])
  let results = try ParallelMap.run(
    items, jobs: jobs, onResult: { index, _ in finished.withLock { $0.append(index) } }
  ) { _, item -> Int in
    if item % 7 == 0 { Thread.sleep(forTimeInterval: 0.002) }
    return item * item
  }
  #expect(results.map { $0! } == items.map { $0 * $0 })
  // onResult saw every index exactly once.
  #expect(finished.current.sorted() == items)
}

/// The error thrown is the one a serial run meets first (the lowest failing index), even when
/// a later item fails sooner in time.
@Test func theFirstErrorInInputOrderIsThrown() {
  #expect(throws: ItemFailed(index: 3)) {
    _ = try ParallelMap.run(Array(0..<40), jobs: 4) { _, item -> Int in
      if item == 3 { Thread.sleep(forTimeInterval: 0.05) }
      if item == 3 || item == 5 || item == 30 { throw ItemFailed(index: item) }
      return item
    }
  }
}

/// After an error no new item starts: with one worker, nothing after the failing item runs.
@Test func noItemStartsAfterAnError() {
  let started = LockedBox(0)
  #expect(throws: ItemFailed(index: 4)) {
    _ = try ParallelMap.run(Array(0..<20), jobs: 1) { _, item -> Int in
      started.withLock { $0 += 1 }
      if item == 4 { throw ItemFailed(index: 4) }
      return item
    }
  }
  #expect(started.current == 5)
}

/// A stop between items leaves the unstarted items nil and keeps the finished ones.
@Test func stopLeavesUnstartedItemsNil() throws {
  let stop = StopFlag()
  let results = try ParallelMap.run(Array(0..<10), jobs: 1, stop: stop) { _, item -> Int in
    if item == 3 { stop.stop() }
    return item
  }
  #expect(results.prefix(4).map { $0 } == [0, 1, 2, 3])
  #expect(results.dropFirst(4).allSatisfy { $0 == nil })
}

@Test func emptyInputGivesEmptyOutput() throws {
  #expect(try ParallelMap.run([Int](), jobs: 4) { _, item in item }.isEmpty)
  #expect(ParallelMap.all([Int](), jobs: 4) { _, item in item }.isEmpty)
}

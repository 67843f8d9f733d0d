import Dispatch
import Foundation

/// The one parallel loop of the project: maps a function over work items on worker threads.
///
/// - **Order**: results come back in input order, whatever the order of completion; each item
///   must depend only on itself (its own seeded streams), so the results equal a serial run's.
/// - **Scheduling**: workers take the next item from a shared counter (long and short items
///   balance), so every item below the highest started one has started.
/// - **Stop**: between items a worker checks `stop`; items not started stay `nil`. An item that
///   wants to stop early checks the flag itself.
/// - **Errors**: the first error stops the handing out of items; the running ones finish, and
///   the error of the lowest failing index is thrown — the one a serial run would have met
///   first, because every lower index has started.
/// - **Progress**: `onResult` is called for each finished item, serialised under the runner's
///   lock, as soon as it finishes (to write files, advance a progress bar).
///
/// Threads and BLAS: the runner does not touch the BLAS thread count or the allocator; the
/// caller (a command) chooses them once.
public enum ParallelMap {
  public static func run<Item, Output>(
    _ items: [Item], jobs: Int, stop: StopFlag? = nil,
    onResult: ((_ index: Int, _ output: Output) -> Void)? = nil,
    _ body: (_ index: Int, _ item: Item) throws -> Output
  ) throws -> [Output?] {
    try withoutActuallyEscaping(body) { body in
      try run(
        items, jobs: jobs, stop: stop, scratch: {}, onResult: onResult,
        { _, index, item in try body(index, item) })
    }
  }

  /// ``run(_:jobs:stop:onResult:_:)`` where every worker thread owns a scratch value, made once
  /// by `makeScratch` and handed to each item the worker runs (buffers reused across items).
  /// An item's output must not depend on what an earlier item left in the scratch.
  public static func run<Item, Output, Scratch>(
    _ items: [Item], jobs: Int, stop: StopFlag? = nil, scratch makeScratch: () -> Scratch,
    onResult: ((_ index: Int, _ output: Output) -> Void)? = nil,
    _ body: (_ scratch: inout Scratch, _ index: Int, _ item: Item) throws -> Output
  ) throws -> [Output?] {
    let state = MapState<Output>(count: items.count)
    try withoutActuallyEscaping(body) { body in
      try withoutActuallyEscaping(makeScratch) { makeScratch in
        // The items are independent by contract; the state is only touched under its lock.
        let work = Unchecked {
          var scratch = makeScratch()
          while true {
            let index: Int? = state.lock.withLock {
              guard state.next < items.count, !state.failed, !(stop?.isStopped ?? false) else {
                return nil
              }
              defer { state.next += 1 }
              return state.next
            }
            guard let index else { return }
            do {
              let output = try body(&scratch, index, items[index])
              state.lock.withLock {
                state.outputs[index] = output
                onResult?(index, output)
              }
            } catch {
              state.lock.withLock {
                state.errors[index] = error
                state.failed = true
              }
            }
          }
        }
        let workers = max(1, min(jobs, items.count))
        if workers == 1 {
          work.value()
        } else {
          DispatchQueue.concurrentPerform(iterations: workers) { _ in work.value() }
        }
        if let first = state.errors.keys.min() { throw state.errors[first]! }
      }
    }
    return state.outputs
  }

  /// ``run(_:jobs:stop:onResult:_:)`` for work that cannot fail and is not stopped: every
  /// output, in input order.
  public static func all<Item, Output>(
    _ items: [Item], jobs: Int, onResult: ((_ index: Int, _ output: Output) -> Void)? = nil,
    _ body: (_ index: Int, _ item: Item) -> Output
  ) -> [Output] {
    // Without a stop flag and without errors every item runs.
    (try? run(items, jobs: jobs, onResult: onResult, body))?.map { $0! } ?? []
  }
}

/// The shared state of one ``ParallelMap/run(_:jobs:stop:onResult:_:)`` call.
final class MapState<Output>: @unchecked Sendable {
  let lock = NSLock()
  var next = 0
  var failed = false
  var outputs: [Output?]
  var errors: [Int: Error] = [:]
  init(count: Int) { outputs = Array(repeating: nil, count: count) }
}

/// The worker loop handed to the threads: it reads the caller's items and closure, which the
/// map's contract makes safe to share.
struct Unchecked: @unchecked Sendable {
  let value: () -> Void
  init(_ value: @escaping () -> Void) { self.value = value }
}

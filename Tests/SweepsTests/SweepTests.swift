import Dispatch
import Experiments
import Foundation
import Runner
import Sweeps
import Testing

@Test func sweepExpansion() throws {
  let sweep = try SweepFile.parse(
    text: """
      name: t
      base: {epochs: 3}
      seeds: [1, 5]
      grid:
        data.noise: [0.1, 0.2, 0.3]
        activation: [relu, tanh]
      zip:
        hidden: [[8], [8, 8]]
        learningRate: [0.01, 0.005]
      random:
        samples: 2
        seed: 3
        axes:
          optimizer.beta1: {uniform: [0.8, 0.9]}
          batchSize: {choice: [16, 32]}
      """, source: "s.yaml")
  #expect(sweep.runs.count == 3 * 2 * 2 * 2 * 2)
  #expect(Set(sweep.runs.map { configurationHash($0.configuration) }).count == sweep.runs.count)
  let first = sweep.runs[0].configuration
  #expect(first.epochs == 3)
  #expect(first.seed == 1)
  #expect(sweep.runs[1].configuration.seed == 5)
  #expect(
    sweep.runs.allSatisfy {
      ($0.configuration.optimizer.beta1 >= 0.8) && $0.configuration.optimizer.beta1 <= 0.9
    })
  #expect(Set(sweep.runs.map(\.configuration.hidden)) == [[8], [8, 8]])
  // The same file expands to the same runs.
  let again = try SweepFile.parse(
    text: "name: t\nseeds: 2\ngrid: {data.noise: [0.1, 0.2]}", source: "s.yaml")
  let twice = try SweepFile.parse(
    text: "name: t\nseeds: 2\ngrid: {data.noise: [0.1, 0.2]}", source: "s.yaml")
  #expect(
    again.runs.map { configurationHash($0.configuration) }
      == twice.runs.map { configurationHash($0.configuration) })
}

@Test func badSweepsNameTheAxis() {
  expectConfigError(["axis data.nosie", "unknown key data.nosie", "did you mean data.noise"]) {
    _ = try SweepFile.parse(text: "name: t\ngrid: {data.nosie: [0.1]}", source: "s.yaml")
  }
  expectConfigError(["axis learningRate", "learningRate must be a number", "'fast'"]) {
    _ = try SweepFile.parse(text: "name: t\ngrid: {learningRate: [0.1, fast]}", source: "s.yaml")
  }
  expectConfigError(["learningRate", "positive"]) {
    _ = try SweepFile.parse(text: "name: t\ngrid: {learningRate: [0.1, -1]}", source: "s.yaml")
  }
  expectConfigError(["grid.epochs must be a non-empty list"]) {
    _ = try SweepFile.parse(text: "name: t\ngrid: {epochs: 5}", source: "s.yaml")
  }
  expectConfigError(["zip lists must have equal lengths", "hidden 1", "learningRate 2"]) {
    _ = try SweepFile.parse(
      text: "name: t\nzip: {learningRate: [0.1, 0.2], hidden: [[4]]}", source: "s.yaml")
  }
  expectConfigError(["unknown key grdi", "did you mean grid?"]) {
    _ = try SweepFile.parse(text: "name: t\ngrdi: {epochs: [1]}", source: "s.yaml")
  }
  expectConfigError(["seeds must be"]) {
    _ = try SweepFile.parse(text: "name: t\nseeds: [1, 1]", source: "s.yaml")
  }
}

func temporaryStore() throws -> SQLiteStore {
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-store-\(UUID().uuidString)/s.sqlite").path
  return try SQLiteStore(path: path)
}

func smallRuns(_ count: Int) -> [(
  hash: String, configuration: TrainingConfiguration, assignments: [String: String]
)] {
  (0..<count).map { i in
    var c = TrainingConfiguration(hidden: [4], epochs: 2, seed: UInt64(i))
    c.data.count = 40
    return (configurationHash(c), c, ["seed": "\(i)"])
  }
}

/// Eight threads claim concurrently: every run is handed out exactly once.
@Test func concurrentClaimsAreExclusive() throws {
  let store = try temporaryStore()
  try store.register(sweep: "s", specification: "", runs: smallRuns(40))
  final class Claims: @unchecked Sendable {
    let lock = NSLock()
    var ids: [Int64] = []
  }
  let claims = Claims()
  DispatchQueue.concurrentPerform(iterations: 8) { worker in
    while let run = try! store.claim(sweep: "s", worker: "w\(worker)", lease: 60) {
      claims.lock.withLock { claims.ids.append(run.id) }
    }
  }
  #expect(claims.ids.count == 40)
  #expect(Set(claims.ids).count == 40)
  // Registering again keeps the runs (and their status) as they are.
  try store.register(sweep: "s", specification: "", runs: smallRuns(40))
  #expect(try store.progress(sweep: "s").running == 40)
}

/// A dead worker's run is reclaimed after its lease; the dead worker can no longer complete it.
@Test func expiredLeasesAreReclaimed() throws {
  let store = try temporaryStore()
  try store.register(sweep: "s", specification: "", runs: smallRuns(1))
  let first = try #require(try store.claim(sweep: "s", worker: "dead", lease: 0.2))
  #expect(try store.claim(sweep: "s", worker: "other", lease: 60) == nil)
  Thread.sleep(forTimeInterval: 0.3)
  let second = try #require(try store.claim(sweep: "s", worker: "alive", lease: 60))
  #expect(second.id == first.id)
  #expect(try !store.renew(run: first.id, worker: "dead", lease: 60))
  let (train, test) = try second.configuration.data.load()
  let result = Experiments.train(try second.configuration, train: train, test: test)
  #expect(try !store.complete(run: first.id, worker: "dead", result: result))
  #expect(try store.complete(run: second.id, worker: "alive", result: result))
  #expect(try store.claim(sweep: "s", worker: "late", lease: 60) == nil)
  let stored = try store.runs(sweep: "s")[0]
  #expect(stored.status == "completed")
  #expect(stored.attempts == 2)
  #expect(stored.metrics.count == 2)
}

/// A diverged run is stored as diverged with its epoch.
@Test func divergedRunsAreStored() throws {
  let store = try temporaryStore()
  var c = TrainingConfiguration(optimizer: .init(kind: .sgd), learningRate: 1e6, epochs: 30)
  c.data.count = 100
  try store.register(sweep: "s", specification: "", runs: [(configurationHash(c), c, [:])])
  try SweepWorker(store: store, sweep: "s", worker: "w", lease: 60).work(stop: StopFlag())
  let run = try store.runs(sweep: "s")[0]
  #expect(run.status == "diverged")
  #expect(run.divergedEpoch != nil)
  #expect(run.divergedEpoch == run.metrics.count)
}

import CritCLI
import Data
import Foundation
import Sweeps
import Testing

/// Runs `crit ARGUMENTS` in `count` processes at once; returns each one's status and output.
func runConcurrently(_ arguments: [[String]]) throws -> [(status: Int32, output: String)] {
  guard let executable = critExecutable() else {
    Issue.record("crit executable not found")
    return []
  }
  let processes = try arguments.map { args -> (Process, Pipe) in
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.environment = critEnvironment()
    process.arguments = args
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = Pipe()
    try process.run()
    return (process, pipe)
  }
  return processes.map { process, pipe in
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }
}

/// The tiles of a frame computed by two separate processes through a store and merged equal
/// the frame computed in one process, bit for bit (the `.npy` files are byte-identical), and
/// both processes did compute tiles. SQLite, and PostgreSQL when its server is up.
@Test(arguments: ["sqlite", "postgres"])
func tilesFromTwoProcessesEqualOneProcessFrame(backend: String) throws {
  let common = [
    "run", "trainability", "--resolution", "48", "--steps", "100", "--threads", "1", "--quiet",
  ]
  let root = temporaryPath("trainability")
  let one = try runConcurrently([common + ["--runs", root, "--name", "one"]])
  try #require(one.first?.status == 0, "\(one)")
  let store: String
  if backend == "sqlite" {
    store = "sqlite:\(root)/tiles.sqlite"
  } else {
    guard (try? PostgresStore(url: postgresURL)) != nil else {
      Issue.record("no PostgreSQL server at \(postgresURL) (scripts/start-postgres.sh)")
      return
    }
    store = postgresURL
  }
  // A fresh frame name per run, so a shared PostgreSQL server starts from nothing.
  let name = "tiled-\(UUID().uuidString.prefix(8).lowercased())"
  let tiled = ["--store", store, "--tiles", "6", "--name", name]
  let two = try runConcurrently([
    common + tiled + ["--runs", "\(root)/a"], common + tiled + ["--runs", "\(root)/b"],
  ])
  #expect(two.count == 2 && two.allSatisfy { $0.status == 0 }, "\(two)")
  let reference = try Data(contentsOf: URL(fileURLWithPath: "\(root)/one/frame-0.npy"))
  for side in ["a", "b"] {
    let merged = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(side)/\(name)/frame-0.npy"))
    #expect(merged == reference, "process \(side): merged frame differs from the one-process frame")
  }
  // Both processes computed tiles ("this process computed K of 6 tiles" with K ≥ 1).
  let counts = two.map { result -> Int in
    guard
      let line = result.output.split(separator: "\n").first(where: {
        $0.contains("this process computed")
      }),
      let k = line.split(separator: " ").compactMap({ Int($0) }).first
    else { return -1 }
    return k
  }
  #expect(
    counts.count == 2 && counts.allSatisfy { $0 >= 1 } && counts.reduce(0, +) == 6, "\(counts)")
  // The frame holds both classes, so the comparison covers both.
  let measures = try NPYArray.read(path: "\(root)/one/frame-0.npy").values
  #expect(measures.contains { $0 < 1 } && measures.contains { $0 >= 1 })
}

/// Bad trainability settings are refused with a message naming the option and what is
/// allowed, and a non-zero exit.
@Test func trainabilityBadInputIsRefused() {
  for (arguments, expected) in [
    (["--resolution", "1"], "--resolution"), (["--activation", "gelu"], "--activation"),
    (["--spectral", "penalty:1"], "--spectral"), (["--view", "1:0,0:1"], "--view"),
    (["--window", "500", "--steps", "100"], "--window"), (["--zoom", "0"], "--zoom"),
    (["--centre", "1,x"], "--centre"), (["--tiles", "0"], "--tiles"),
    (["--seeds", "0"], "--seeds"), (["--seeds", "2", "--store", "sqlite:/tmp/x.db"], "--seeds"),
  ] {
    let (status, errors) = runCrit(["run", "trainability"] + arguments)
    #expect(status != 0, "\(arguments)")
    #expect(errors.joined().contains(expected), "\(arguments): \(errors)")
  }
}

/// Rerunning the same zoom series reuses every frame it already made (nothing is trained
/// again, and the files stay byte-identical), while a different setting recomputes.
@Test func trainabilityRerunReusesFrames() throws {
  let root = temporaryPath("resume")
  let arguments = [
    "run", "trainability", "--resolution", "24", "--steps", "50", "--zoom", "3", "--zoom-to",
    "0.1", "--threads", "1", "--runs", root, "--name", "series",
  ]
  let first = try runConcurrently([arguments])
  try #require(first.first?.status == 0, "\(first)")
  let frames = try (0..<3).map {
    try Data(contentsOf: URL(fileURLWithPath: "\(root)/series/frame-\($0).npy"))
  }
  let second = try runConcurrently([arguments])
  try #require(second.first?.status == 0, "\(second)")
  #expect(second[0].output.components(separatedBy: "reused from an earlier run").count == 4)
  for k in 0..<3 {
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: "\(root)/series/frame-\(k).npy")) == frames[k])
  }
  let changed = try runConcurrently([
    arguments.map { $0 == "50" ? "60" : $0 }
  ])
  #expect(changed.first?.status == 0 && changed[0].output.contains("reused") == false)
}

/// Several seeds: each network gets its own run (zoom series, frames.json) in seed-S/, and
/// seeds.json holds each one's median boundary dimension (equal to the median of its frames'
/// dimensions, recomputed here from frames.json; 32² frames, so box sizes 2, 4, 8) and their mean with a Student-t 95 % interval
/// (recomputed here with t₀.₉₇₅,₂ = 4.302653, the tabulated quantile for three seeds).
@Test func trainabilitySeedsSummariseTheirMedians() throws {
  let root = temporaryPath("seeds")
  let run = try runConcurrently([
    [
      "run", "trainability", "--resolution", "32", "--steps", "40", "--zoom", "3", "--zoom-to",
      "0.5", "--seeds", "3", "--seed", "4", "--threads", "2", "--runs", root, "--name", "s",
      "--quiet",
    ]
  ])
  try #require(run.first?.status == 0, "\(run)")
  struct Frames: Decodable {
    struct Frame: Decodable {
      struct Dimension: Decodable {
        var dimension: Double
        var counts: [Int]
      }
      var dimension: Dimension
    }
    var frames: [Frame]
  }
  struct Seeds: Decodable {
    struct Seed: Decodable {
      var seed: UInt64
      var medianDimension: Double?
    }
    struct Mean: Decodable {
      var mean: Double
      var halfWidth: Double
      var count: Int
    }
    var seeds: [Seed]
    var meanMedianDimension: Mean
  }
  let seeds = try JSONDecoder().decode(
    Seeds.self, from: Data(contentsOf: URL(fileURLWithPath: "\(root)/s/seeds.json")))
  #expect(seeds.seeds.map(\.seed) == [4, 5, 6])
  var medians: [Double] = []
  for entry in seeds.seeds {
    let frames = try JSONDecoder().decode(
      Frames.self,
      from: Data(contentsOf: URL(fileURLWithPath: "\(root)/s/seed-\(entry.seed)/frames.json")))
    // A frame's dimension counts when it is finite and at least three box sizes hold boundary.
    let values = frames.frames.map(\.dimension).filter {
      $0.dimension.isFinite && $0.counts.filter { $0 > 0 }.count >= 3
    }.map(\.dimension).sorted()
    try #require(values.count == 3, "every 32² frame has a boundary over box sizes 2, 4, 8")
    let median = values[1]
    #expect(entry.medianDimension == median)
    medians.append(median)
  }
  let mean = medians.reduce(0, +) / 3
  let sd = (medians.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
  // Tolerance: the mean is the same sum in both; the half-width differs only by the t quantile's
  // own accuracy (the project's quantile inverts the t cdf numerically; 1e-6 relative).
  #expect(abs(seeds.meanMedianDimension.mean - mean) < 1e-12)
  #expect(seeds.meanMedianDimension.count == 3)
  #expect(
    abs(seeds.meanMedianDimension.halfWidth - 4.302653 * sd / 3.0.squareRoot()) < 1e-5
      * max(sd, 1e-3))
}

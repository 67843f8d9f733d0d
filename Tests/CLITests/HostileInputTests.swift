import CritTestSupport
import Foundation
import Testing

/// Bad input to the shipped binary: exit 2, one line on standard error naming the input and
/// what is allowed, and nothing written.
func expectRefused(
  _ arguments: [String], mentioning fragments: [String],
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let (status, _, errors) = try runShippedCrit(arguments)
  #expect(status == 2, "\(arguments): \(errors)", sourceLocation: sourceLocation)
  let lines = errors.split(separator: "\n")
  #expect(lines.count == 1, "\(errors)", sourceLocation: sourceLocation)
  for fragment in fragments {
    #expect(errors.contains(fragment), "\(errors)", sourceLocation: sourceLocation)
  }
}

/// Options that shape one kind of data are refused for another instead of being ignored.
@Test(arguments: [
  (["--dimension", "5"], "--dimension"), (["--classes", "5"], "--classes"),
  (["--cells", "3"], "--cells"), (["--alpha", "2"], "--alpha"),
  (["--dataset", "blobs", "--dimension", "8"], "--dimension"),
  (["--dataset", "teacher-student", "--noise", "0.1"], "--noise"),
  (["--label-column", "0"], "--label-column"), (["--task", "regression"], "--task"),
])
func optionsForAnotherDataSetAreRefused(arguments: [String], option: String) throws {
  let out = temporaryPath("run")
  try expectRefused(
    ["train", "--epochs", "1", "--out", out] + arguments,
    mentioning: [option, "does not apply to --dataset"])
  #expect(!FileManager.default.fileExists(atPath: out))
}

/// Values that parse but that no run can use: non-finite numbers, lists of the wrong length,
/// counts beyond the documented limits.
@Test(arguments: [
  (["--weight-decay", "inf"], ["--weight-decay", "finite"]),
  (["--min-lr", "inf"], ["--min-lr", "finite"]),
  (["--step-factor", "inf"], ["--step-factor", "finite"]),
  (["--targets", "inf,1,1"], ["--targets", "finite"]),
  (["--targets", "1,1"], ["--targets", "one target per hidden layer (3), got 2"]),
  (["--rg-ratio", "inf"], ["--rg-ratio", "finite"]),
  (["--dataset", "power-law", "--alpha", "nan"], ["--alpha", "finite"]),
  (["--epochs", "9223372036854775807"], ["--epochs", "at most 10000000"]),
  (["--dataset", "checkerboard", "--cells", "9223372036854775807"], ["--cells", "1…10000"]),
  (
    ["--indicators-every", "1", "--boundary-resolution", "4611686018427387904"],
    ["--boundary-resolution", "8…8192"]
  ),
])
func unusableValuesAreRefused(arguments: [String], fragments: [String]) throws {
  let out = temporaryPath("run")
  try expectRefused(["train", "--out", out] + arguments, mentioning: fragments)
  #expect(!FileManager.default.fileExists(atPath: out))
}

/// Sizes that would need more memory than the machine has are refused before anything is
/// allocated, saying how much the run would need. (Each of these asks for terabytes.)
@Test(arguments: [
  ["--hidden", "100000000,10"],
  ["--dataset", "blobs", "--classes", "100000000"],
  ["--dataset", "teacher-student", "--dimension", "9223372036854775807"],
  ["--samples", "9223372036854775807"],
])
func oversizedRunsAreRefusedWithTheMemoryTheyNeed(arguments: [String]) throws {
  let out = temporaryPath("run")
  try expectRefused(
    ["train", "--epochs", "1", "--out", out] + arguments, mentioning: ["needs about", "allows"])
  #expect(!FileManager.default.fileExists(atPath: out))
}

/// 20 000 hidden layers train (the autodiff graph is released without recursion).
@Test func aVeryDeepNetworkTrains() throws {
  let out = temporaryPath("run")
  let hidden = Array(repeating: "2", count: 20_000).joined(separator: ",")
  let (status, _, errors) = try runShippedCrit([
    "train", "--hidden", hidden, "--epochs", "1", "--samples", "32", "--quiet", "--out", out,
  ])
  #expect(status == 0, "\(errors)")
  #expect(FileManager.default.fileExists(atPath: "\(out)/summary.json"))
}

/// Stores that do not exist, are not databases, or have no path, for the reading commands.
@Test func storeMistakesAreRefusedWithoutCreatingAnything() throws {
  let missing = temporaryPath("typo.sqlite")
  try expectRefused(["export", "sqlite:\(missing)"], mentioning: ["no database at", missing])
  try expectRefused(["report", "sqlite:\(missing)"], mentioning: ["no database at"])
  #expect(!FileManager.default.fileExists(atPath: missing))
  try expectRefused(["export", "sqlite:"], mentioning: ["give the database file after sqlite:"])
  let corrupt = temporaryPath("corrupt.sqlite", contents: "this is not a database\n")
  try expectRefused(["export", "sqlite:\(corrupt)"], mentioning: ["cannot be opened"])
  #expect(try String(contentsOfFile: corrupt, encoding: .utf8) == "this is not a database\n")
  let directory = temporaryPath("dir.sqlite")
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  try expectRefused(["export", "sqlite:\(directory)"], mentioning: ["is a directory"])
}

/// `report --baseline` that names no group is an error listing the groups, not a silent
/// comparison with the first group; one that names a group in another key order works.
@Test func reportBaselineMustMatchAGroup() throws {
  let sweep = temporaryPath(
    "b.yaml",
    contents: """
      name: baseline-check
      base: {epochs: 2, hidden: [4], data: {count: 60}}
      grid: {data.noise: [0.1, 0.2], learningRate: [0.01]}
      """)
  let store = "sqlite:" + temporaryPath("b.sqlite")
  let swept = try runShippedCrit(["sweep", sweep, "--store", store, "--quiet", "--jobs", "1"])
  #expect(swept.status == 0, "\(swept.errors)")
  let out = temporaryPath("r.html")
  try expectRefused(
    ["report", store, "--baseline", "data.noise=0.7", "--out", out],
    mentioning: ["--baseline", "no group matches", "data.noise=0.1"])
  try expectRefused(
    ["report", store, "--baseline", "epochs=3", "--out", out], mentioning: ["keys among"])
  #expect(!FileManager.default.fileExists(atPath: out))
  let good = try runShippedCrit([
    "report", store, "--baseline", "learningRate=0.01, data.noise=0.2", "--out", out,
  ])
  #expect(good.status == 0, "\(good.errors)")
  let html = try String(contentsOfFile: out, encoding: .utf8)
  #expect(html.contains("Baseline: data.noise=0.2 learningRate=0.01"))
}

/// Configuration files a hostile user might write, through the shipped binary.
@Test func hostileConfigurationFilesAreOneLineErrors() throws {
  let bomb = temporaryPath("bomb.yaml", contents: aliasBombText)
  try expectRefused(["train", "--config", bomb], mentioning: ["bomb.yaml", "more than"])
  try expectRefused(["sweep", bomb, "--dry-run"], mentioning: ["bomb.yaml", "more than"])
  let empty = temporaryPath("empty.yaml", contents: "")
  try expectRefused(["train", "--config", empty], mentioning: ["the file is empty"])
  let nan = temporaryPath("nan.yaml", contents: "learningRate: .nan\n")
  try expectRefused(["train", "--config", nan], mentioning: ["learningRate", "finite"])
  try expectRefused(["train", "--set", ".=5"], mentioning: ["not a key path"])
  let seeds = temporaryPath("s.yaml", contents: "name: s\nseeds: 9223372036854775807\n")
  try expectRefused(["sweep", seeds, "--dry-run"], mentioning: ["at most 100000"])
}

let aliasBombText = billionLaughsYAML

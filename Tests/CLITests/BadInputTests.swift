import CritCLI
import CritTestSupport
import Experiments
import Foundation
import Testing

/// Runs `crit` in process and returns its exit status and what it wrote to standard error.
func runCrit(_ arguments: [String]) -> (status: Int32, errors: [String]) {
  var errors: [String] = []
  let status = Crit.run(arguments) { errors.append($0) }
  return (status, errors)
}

func temporaryPath(_ name: String, contents: String? = nil) -> String {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-cli-\(UUID().uuidString)")
  try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let path = directory.appendingPathComponent(name).path
  if let contents { try! Data(contents.utf8).write(to: URL(fileURLWithPath: path)) }
  return path
}

/// Each bad input gets exit status 2 and exactly one line on standard error that names the
/// flag or file and says what is allowed.
@Test(arguments: [
  (["--dataset", "mnist"], ["--dataset", "moons", "spirals"]),
  (["--activation", "swish"], ["--activation", "relu", "tanh"]),
  (["--optimizer", "lion"], ["--optimizer", "adam", "sgd"]),
  (["--init", "lecun"], ["--init", "orthogonal", "he"]),
  (["--schedule", "linear"], ["--schedule", "cosine"]),
  (["--hidden", "64,0,64"], ["--hidden", "positive"]),
  (["--hidden", "64,-3"], ["--hidden", "positive"]),
  (["--hidden", "64,abc"], ["--hidden", "integers"]),
  (["--lr", "0"], ["--lr", "positive"]),
  (["--lr=-0.1"], ["--lr", "positive"]),
  (["--lr", "nan"], ["--lr", "positive"]),
  (["--epochs", "0"], ["--epochs", "positive"]),
  (["--dropout", "1.5"], ["--dropout", "[0, 1)"]),
  (["--test-fraction", "1"], ["--test-fraction", "[0, 1)"]),
  (["--threads", "0"], ["--threads", "1…1024"]),
  (["--beta2", "1"], ["--beta2", "[0, 1)"]),
  (["--normalization", "batch", "--batch-size", "1"], ["--batch-size", "at least 2"]),
  (["--dataset", "csv"], ["--dataset csv", "--data"]),
  (["--dataset", "npy", "--data", "x.npy"], ["--dataset npy", "--labels"]),
  (["--data", "x.csv"], ["--data", "--dataset csv"]),
  (["--dataset", "csv", "--data", "x.csv", "--labels", "y.npy"], ["--labels", "--dataset npy"]),
  (["--samples", "1"], ["--samples", "at least 2"]),
  (["--regularization", "l2"], ["--regularization", "spectral-penalty"]),
  (["--penalty-weight", "nan"], ["--penalty-weight", "≥ 0"]),
  (["--targets", "1,x"], ["--targets", "positive numbers"]),
  (
    ["--indicators-every", "1", "--boundary-resolution", "100"],
    ["--boundary-resolution", "power of two"]
  ),
  (["--dataset", "blobs", "--classes", "1"], ["--classes", "at least 2"]),
])
func badFlagsExitWithStatusTwo(arguments: [String], mentions: [String]) {
  let out = temporaryPath("run")
  let (status, errors) = runCrit(["train", "--quiet", "--epochs", "1", "--out", out] + arguments)
  #expect(status == 2, "\(arguments)")
  #expect(errors.count == 1, "\(errors)")
  for fragment in mentions {
    #expect(errors.first?.contains(fragment) == true, "\(errors) should mention \(fragment)")
  }
}

/// Missing and malformed data files: status 2, one line naming the file and the problem.
@Test func badDataFilesExitWithStatusTwo() {
  let ragged = temporaryPath("ragged.csv", contents: "1,2,0\n3,4\n")
  let text = temporaryPath("text.csv", contents: "1,2,0\n1,x,1\n")
  let labels = temporaryPath("labels.csv", contents: "1,2,0\n3,4,1\n")
  let fractional = temporaryPath("fraction.csv", contents: "1,2,0.5\n3,4,1\n")
  var npyHeader = "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }"
  npyHeader += String(repeating: " ", count: (64 - (10 + npyHeader.count + 1) % 64) % 64) + "\n"
  let npyPath = temporaryPath("strings.npy")
  let npy =
    [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(npyHeader.count), 0] + Array(npyHeader.utf8)
    + [UInt8](repeating: 65, count: 24)
  try! Data(npy).write(to: URL(fileURLWithPath: npyPath))
  let truncated = temporaryPath("truncated.npy")
  var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (50, 2), }"
  header += String(repeating: " ", count: (64 - (10 + header.count + 1) % 64) % 64) + "\n"
  try! Data(
    [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + Array(header.utf8) + [
      0, 0, 0, 0,
    ]
  )
  .write(to: URL(fileURLWithPath: truncated))
  let cases: [([String], [String])] = [
    (
      ["--dataset", "csv", "--data", "/nonexistent/file.csv"],
      ["/nonexistent/file.csv", "cannot read"]
    ),
    (["--dataset", "csv", "--data", ragged], ["ragged.csv:2", "expected 3"]),
    (["--dataset", "csv", "--data", text], ["text.csv:2", "not a number"]),
    (
      ["--dataset", "csv", "--data", labels, "--label-column", "3"],
      ["--label-column 3", "allowed"]
    ),
    (["--dataset", "csv", "--data", fractional], ["fraction.csv:1", "class index"]),
    (
      ["--dataset", "npy", "--data", npyPath, "--labels", npyPath],
      ["strings.npy", "'<U3'", "allowed"]
    ),
    (
      ["--dataset", "npy", "--data", truncated, "--labels", truncated],
      ["truncated.npy", "truncated"]
    ),
  ]
  for (arguments, mentions) in cases {
    let (status, errors) = runCrit(
      ["train", "--quiet", "--epochs", "1", "--out", temporaryPath("run")] + arguments)
    #expect(status == 2, "\(arguments)")
    #expect(errors.count == 1, "\(errors)")
    for fragment in mentions {
      #expect(errors.first?.contains(fragment) == true, "\(errors) should mention \(fragment)")
    }
  }
}

/// A good CSV file trains end to end through the command line.
@Test func csvTrainsEndToEnd() throws {
  var lines = ["x,y,label"]
  for i in 0..<60 {
    let x = Double(i % 10) / 10
    lines.append("\(x),\(Double(i / 10) / 6),\(x > 0.45 ? 1 : 0)")
  }
  let path = temporaryPath("good.csv", contents: lines.joined(separator: "\n"))
  let out = temporaryPath("run")
  let (status, errors) = runCrit([
    "train", "--quiet", "--dataset", "csv", "--data", path, "--epochs", "3", "--out", out,
  ])
  #expect(status == 0, "\(errors)")
  let metrics = try String(contentsOfFile: out + "/metrics.csv", encoding: .utf8)
  #expect(metrics.split(separator: "\n").count == 4)
}

/// The real executable exits with status 2 (not the parser's default 64) on bad input.
@Test func executableExitStatus() throws {
  let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("crit")
  let candidates = [
    executable.path,
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug/crit").path,
  ]
  guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
  else {
    Issue.record("crit executable not found among \(candidates)")
    return
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.environment = critEnvironment()
  process.arguments = ["train", "--activation", "swish"]
  let stderr = Pipe()
  process.standardError = stderr
  process.standardOutput = Pipe()
  try process.run()
  process.waitUntilExit()
  let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  #expect(process.terminationStatus == 2)
  #expect(message.hasPrefix("crit: error: "))
  #expect(message.contains("--activation"))
  #expect(message.split(separator: "\n").count == 1)
}

/// `crit train` with one and with two BLAS threads, and twice with one, writes byte-identical
/// `metrics.csv` files (512-wide layers on batches of 256, so OpenBLAS really uses both threads).
@Test func metricsFileIsIdenticalAcrossRunsAndThreadCounts() throws {
  func metrics(threads: Int) throws -> Data {
    let out = temporaryPath("run")
    let (status, errors) = runCrit([
      "train", "--quiet", "--hidden", "512,512", "--batch-size", "256", "--epochs", "2",
      "--samples", "600", "--seed", "5", "--threads", "\(threads)", "--out", out,
    ])
    #expect(status == 0, "\(errors)")
    return try Data(contentsOf: URL(fileURLWithPath: out + "/metrics.csv"))
  }
  // Under the exclusive lock: `--threads 2` probes and sets the process's BLAS thread count,
  // which other tests comparing runs bit for bit must not see change mid-run.
  try withExclusiveLinearAlgebra {
    let first = try metrics(threads: 1)
    #expect(try metrics(threads: 1) == first)
    #expect(try metrics(threads: 2) == first)
    #expect(first.count > 100)
  }
}

/// `crit train --config FILE --set key=value` defines the run from the file; a bad key is a
/// one-line error naming its path; flags and a file together are refused.
@Test func trainFromAConfigurationFile() throws {
  let file = temporaryPath(
    "c.yaml", contents: "epochs: 3\nhidden: [8]\ndata: {count: 100, kind: circles}\n")
  let out = temporaryPath("run")
  let (status, errors) = runCrit([
    "train", "--quiet", "--config", file, "--set", "learningRate=0.01", "--out", out,
  ])
  #expect(status == 0, "\(errors)")
  let resolved = try JSONDecoder.forRuns.decode(
    TrainingConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/config.json")))
  #expect(resolved.epochs == 3)
  #expect(resolved.learningRate == 0.01)
  #expect(resolved.data.kind == .circles)
  let typo = runCrit([
    "train", "--quiet", "--config", file, "--set", "data.nosie=0.3", "--out", out,
  ])
  #expect(typo.status == 2)
  #expect(typo.errors.first?.contains("did you mean data.noise?") == true, "\(typo.errors)")
  let mixed = runCrit(["train", "--quiet", "--config", file, "--epochs", "5", "--out", out])
  #expect(mixed.status == 2)
  #expect(mixed.errors.first?.contains("cannot be combined") == true, "\(mixed.errors)")
}

import Foundation
import Testing

/// Output paths are checked before any work starts: an existing file where a run directory
/// goes, a directory, a symbolic link or a device where a file goes, and places that cannot be
/// written are each a one-line error naming the option, with exit status 2 — and nothing that
/// was there is replaced.
@Test func badOutputPathsAreRefusedBeforeWork() throws {
  let directory = temporaryPath("outputs")
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  let existingFile = "\(directory)/existing.txt"
  try Data("keep me".utf8).write(to: URL(fileURLWithPath: existingFile))
  let target = "\(directory)/target.json"
  try Data("target".utf8).write(to: URL(fileURLWithPath: target))
  let link = "\(directory)/link.json"
  try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
  let weights = temporaryPath("w.npy")
  try Data(npyFloat32Matrix(rows: 16, columns: 8)).write(to: URL(fileURLWithPath: weights))
  let train = ["train", "--epochs", "50", "--quiet"]
  let cases: [([String], String)] = [
    (train + ["--out", existingFile], "--out"),
    (train + ["--out", "/proc/crit-run-\(getpid())"], "--out"),
    (["analyze", weights, "--json", directory], "--json"),
    (["analyze", weights, "--json", link], "--json"),
    (["analyze", weights, "--html", "/dev/full"], "--html"),
    (["analyze", weights, "--csv", "/proc/crit-\(getpid()).csv"], "--csv"),
    (["analyze", weights, "--csv", "\(directory)/missing/x.csv"], "--csv"),
    (["theory", "phase-diagram", "--out", directory], "--out"),
    (["demo", "--quick", "--quiet", "--name", "../escape", "--runs", directory], "--name"),
    (["run", "trainability", "--name", "..", "--runs", directory], "--name"),
  ]
  for (arguments, option) in cases {
    let start = Date()
    let (status, errors) = runCrit(arguments)
    #expect(status == 2, "\(arguments): \(errors)")
    #expect(errors.count == 1 && errors[0].contains(option), "\(arguments): \(errors)")
    // Refused before training 50 epochs or computing anything.
    #expect(Date().timeIntervalSince(start) < 5, "\(arguments)")
  }
  #expect(try String(contentsOfFile: existingFile, encoding: .utf8) == "keep me")
  #expect(try String(contentsOfFile: target, encoding: .utf8) == "target")
  #expect(
    try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
  var info = stat()
  #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
  #expect(!FileManager.default.fileExists(atPath: "\(directory)/../escape"))
  // A regular file is replaced as asked, and a new run directory is created.
  let json = "\(directory)/layers.json"
  try Data("old".utf8).write(to: URL(fileURLWithPath: json))
  #expect(runCrit(["analyze", weights, "--json", json]).status == 0)
  #expect(try String(contentsOfFile: json, encoding: .utf8).hasPrefix("["))
}

/// A float32 `.npy` matrix with deterministic entries.
func npyFloat32Matrix(rows: Int, columns: Int) -> [UInt8] {
  var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
  header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
  let n = header.utf8.count
  var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)]
  bytes += Array(header.utf8)
  for i in 0..<(rows * columns) {
    let value = Float(sin(Double(i) * 1.7) + 0.3 * cos(Double(i * i) * 0.01))
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
  }
  return bytes
}

import Data
import Foundation
import Testing

private func file(_ name: String, _ contents: String) -> String {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-series-\(UUID().uuidString)")
  try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let path = directory.appendingPathComponent(name).path
  try! Data(contents.utf8).write(to: URL(fileURLWithPath: path))
  return path
}

private func failure(_ body: () throws -> Any) -> String {
  do {
    _ = try body()
    return "no error"
  } catch { return "\(error)" }
}

/// A column by header name or by index; a one-column file needs no name; comments and blank
/// lines are skipped.
@Test func seriesFromCSVColumns() throws {
  let path = file("loss.csv", "# a run\nepoch,loss\n0,1.5\n1,0.75\n\n2,0.5\n")
  #expect(try SeriesFile.read(path: path, column: "loss").values == [1.5, 0.75, 0.5])
  #expect(try SeriesFile.read(path: path, column: "0").values == [0, 1, 2])
  let single = file("x.csv", "3\n-1e-3\n2.5\n")
  let read = try SeriesFile.read(path: single)
  #expect(read.values == [3, -0.001, 2.5] && read.column == "0")
}

/// Several columns without a name, an unknown column, a non-numeric or non-finite value and a
/// ragged row each get an error naming the file, the line or the allowed columns.
@Test func seriesFromCSVRefusesBadInput() {
  let path = file("two.csv", "a,b\n1,2\n3,x\n")
  #expect(failure { try SeriesFile.read(path: path) }.contains("a, b"))
  #expect(failure { try SeriesFile.read(path: path, column: "c") }.contains("allowed: a, b"))
  #expect(failure { try SeriesFile.read(path: path, column: "b") }.contains("two.csv:3"))
  let infinite = file("inf.csv", "1\ninf\n")
  #expect(failure { try SeriesFile.read(path: infinite) }.contains("finite"))
  let ragged = file("ragged.csv", "1,2\n3\n")
  #expect(failure { try SeriesFile.read(path: ragged, column: "0") }.contains("1 fields"))
  #expect(failure { try SeriesFile.read(path: "/nonexistent/x.csv") }.contains("cannot read"))
}

/// A 1-D array is the series; a 2-D array needs a column index.
@Test func seriesFromNPY() throws {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-series-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let vector = directory.appendingPathComponent("v.npy").path
  try writeNPY([1, 2, 3], shape: [3], to: vector)
  #expect(try SeriesFile.read(path: vector).values == [1, 2, 3])
  let matrix = directory.appendingPathComponent("m.npy").path
  try writeNPY([1, 2, 3, 4, 5, 6], shape: [3, 2], to: matrix)
  #expect(try SeriesFile.read(path: matrix, column: "1").values == [2, 4, 6])
  #expect(failure { try SeriesFile.read(path: matrix) }.contains("--column"))
  #expect(failure { try SeriesFile.read(path: matrix, column: "2") }.contains("0…1"))
}

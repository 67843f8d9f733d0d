import Data
import Foundation
import Tensors
import Testing

/// A fresh temporary file with the given contents.
func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("crit-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let url = directory.appendingPathComponent(name)
  try Data(bytes).write(to: url)
  return url.path
}

func temporaryFile(_ name: String, text: String) throws -> String {
  try temporaryFile(name, Array(text.utf8))
}

/// An `.npy` file built by hand from the format's definition (version 1.0 header).
func npyBytes(descr: String, shape: String, fortran: Bool = false, data: [UInt8]) -> [UInt8] {
  var header =
    "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
  header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
  let n = header.utf8.count
  return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)] + Array(header.utf8)
    + data
}

func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
  values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}

func expectDataError(
  _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
  } catch let error as DataError {
    #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
    #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
  }
}

@Suite struct CSVFiles {
  @Test func loadsWithHeaderAndLabelColumn() throws {
    let path = try temporaryFile("d.csv", text: "x,y,label\n1,1.5,1\n0,2,0\n\n# note\n3,4,2\n")
    let data = try CSVLoader.load(path: path)
    #expect(data.inputs.shape == [3, 2])
    #expect(data.inputs.scalars == [1, 1.5, 0, 2, 3, 4])
    #expect(data.labels == [1, 0, 2])
    #expect(data.outputDimension == 3)
    let first = try CSVLoader.load(path: path, labelColumn: 0)
    #expect(first.labels == [1, 0, 3])
    #expect(first.inputs.scalars == [1.5, 1, 2, 0, 4, 2])
  }

  @Test func windowsLineEndingsAndByteOrderMark() throws {
    let path = try temporaryFile("w.csv", text: "\u{FEFF}0.5,1.2,1\r\n0.1,0.3,0\r\n")
    let data = try CSVLoader.load(path: path)
    #expect(data.labels == [1, 0])
    #expect(data.inputs.scalars == [0.5, 1.2, 0.1, 0.3])
  }

  @Test func errors() throws {
    let typo = try temporaryFile("typo.csv", text: "1,2x,0\n3,4,1\n")
    expectDataError("typo.csv:1: field 2 '2x' is not a number") {
      _ = try CSVLoader.load(path: typo)
    }
    let huge = try temporaryFile("huge.csv", text: "1,1e39,0\n3,4,1\n")
    expectDataError("finite") { _ = try CSVLoader.load(path: huge) }
    expectDataError("cannot read") { _ = try CSVLoader.load(path: "/nonexistent/data.csv") }
    let ragged = try temporaryFile("r.csv", text: "1,2,0\n3,4\n")
    expectDataError("r.csv:2: 2 fields, expected 3") { _ = try CSVLoader.load(path: ragged) }
    let text = try temporaryFile("t.csv", text: "1,2,0\n3,abc,1\n")
    expectDataError("t.csv:2: field 2 'abc' is not a number") { _ = try CSVLoader.load(path: text) }
    let good = try temporaryFile("g.csv", text: "1,2,0\n3,4,1\n")
    expectDataError("data.labelColumn 5 is out of range") {
      _ = try CSVLoader.load(path: good, labelColumn: 5)
    }
    let fractional = try temporaryFile("f.csv", text: "1,2,0.5\n3,4,1\n")
    expectDataError("is not a class index") { _ = try CSVLoader.load(path: fractional) }
    let negative = try temporaryFile("n.csv", text: "1,2,-1\n3,4,1\n")
    expectDataError("is not a class index") { _ = try CSVLoader.load(path: negative) }
    let empty = try temporaryFile("e.csv", text: "a,b\n")
    expectDataError("no data rows") { _ = try CSVLoader.load(path: empty) }
  }
}

@Suite struct NPYFiles {
  @Test func readsHandBuiltFiles() throws {
    let f8 = npyBytes(
      descr: "<f8", shape: "(2, 3)",
      data: littleEndian([1.5, -2, 3, 4, 5, 6.25].map { $0.bitPattern }))
    let a = try NPYArray.parse(f8, path: "a.npy")
    #expect(a.shape == [2, 3])
    #expect(a.values == [1.5, -2, 3, 4, 5, 6.25])
    // Fortran order: the same logical matrix stored column by column.
    let fortran = npyBytes(
      descr: "<f8", shape: "(2, 3)", fortran: true,
      data: littleEndian([1.5, 4, -2, 5, 3, 6.25].map { $0.bitPattern }))
    #expect(try NPYArray.parse(fortran, path: "f.npy").values == a.values)
    let labels = npyBytes(descr: "<i8", shape: "(3,)", data: littleEndian([Int64(0), 2, 1]))
    #expect(try NPYArray.parse(labels, path: "l.npy").values == [0, 2, 1])
    let bigEndian = npyBytes(
      descr: ">i4", shape: "(2,)",
      data: littleEndian([Int32(7).byteSwapped, Int32(-3).byteSwapped]))
    #expect(try NPYArray.parse(bigEndian, path: "b.npy").values == [7, -3])
  }

  @Test func roundTripsTheWriter() throws {
    let t = Tensor<Float>(shape: [3, 2], scalars: [1, 2, 3, 4.5, -5, 6])
    let path = try temporaryFile("w.npy", [])
    try writeNPY(t, to: path)
    let back = try NPYArray.read(path: path)
    #expect(back.shape == [3, 2])
    #expect(back.values == t.scalars.map(Double.init))
    #expect(back.descr == "<f4")
  }

  @Test func loadsFeaturesAndLabels() throws {
    let x = try temporaryFile(
      "x.npy",
      npyBytes(
        descr: "<f4", shape: "(3, 2)",
        data: littleEndian([Float](arrayLiteral: 1, 2, 3, 4, 5, 6).map { $0.bitPattern })))
    let y = try temporaryFile("y.npy", npyBytes(descr: "|u1", shape: "(3,)", data: [1, 0, 1]))
    let data = try NPYLoader.load(featuresPath: x, labelsPath: y)
    #expect(data.labels == [1, 0, 1])
    #expect(data.inputs.scalars == [1, 2, 3, 4, 5, 6])
  }

  @Test func errors() throws {
    expectDataError("unsupported dtype '<U5'") {
      _ = try NPYArray.parse(
        npyBytes(descr: "<U5", shape: "(2,)", data: Array(repeating: 0, count: 40)), path: "s.npy")
    }
    expectDataError("unsupported dtype '<c8'") {
      _ = try NPYArray.parse(
        npyBytes(descr: "<c8", shape: "(2,)", data: Array(repeating: 0, count: 16)), path: "c.npy")
    }
    expectDataError("truncated") {
      _ = try NPYArray.parse(
        npyBytes(descr: "<f4", shape: "(100, 2)", data: Array(repeating: 0, count: 400)),
        path: "t.npy")
    }
    expectDataError("not a NumPy .npy file") {
      _ = try NPYArray.parse(Array("hello, world".utf8), path: "h.npy")
    }
    let x = try temporaryFile(
      "x.npy",
      npyBytes(descr: "<f8", shape: "(2, 1)", data: littleEndian([1.0, 2.0].map { $0.bitPattern })))
    let badLabels = try temporaryFile(
      "y.npy",
      npyBytes(descr: "<f8", shape: "(2,)", data: littleEndian([0.5, 1.0].map { $0.bitPattern })))
    expectDataError("labels must be class indices") {
      _ = try NPYLoader.load(featuresPath: x, labelsPath: badLabels)
    }
    let shortLabels = try temporaryFile(
      "z.npy", npyBytes(descr: "<i8", shape: "(3,)", data: littleEndian([Int64(0), 1, 1])))
    expectDataError("labels must have shape (2,)") {
      _ = try NPYLoader.load(featuresPath: x, labelsPath: shortLabels)
    }
  }
}

/// The library speaks of configuration keys, not of any command line's options.
@Test func dataConfigurationErrorsNameKeys() {
  expectDataError("data.kind csv needs data.path FILE.csv") {
    _ = try DataConfiguration(kind: .csv).load()
  }
  expectDataError("data.testPath is for data.kind csv or npy") {
    _ = try DataConfiguration(kind: .moons, testPath: "/tmp/test.csv").load()
  }
}

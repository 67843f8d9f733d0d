import Data
import Foundation
import Tensors
import Testing

/// With a test file, the training set is the whole of `--data` and the test set the whole of
/// `--test-data`, each row for row in file order (no shuffle, no split), whatever the seed or
/// test fraction; the test set's classes are the training set's.
@Test func givenTestFileIsUsedAsItIs() throws {
  let trainRows = (0..<30).map { i in "\(Double(i) * 0.5),\(Double(i) - 7),\(i % 3)" }
  let testRows = ["9.5,-2,1", "-1,4.25,0", "3,3,1", "0.125,8,0"]
  let train = try temporaryFile(
    "train.csv", text: "a,b,label\n" + trainRows.joined(separator: "\n"))
  let test = try temporaryFile("test.csv", text: testRows.joined(separator: "\n") + "\n")
  for seed in [UInt64(0), 41] {
    let configuration = DataConfiguration(
      kind: .csv, path: train, testFraction: 0.5, testPath: test, seed: seed)
    let (trainSet, testSet) = try configuration.load()
    #expect(trainSet.count == 30 && testSet.count == 4)
    let expected: [Float] = [9.5, -2, -1, 4.25, 3, 3, 0.125, 8]
    #expect(testSet.inputs.scalars == expected)
    #expect(testSet.labels == [1, 0, 1, 0])
    let trainExpected: [Float] = (0..<30).flatMap { (i: Int) -> [Float] in
      [Float(i) * 0.5, Float(i) - 7]
    }
    #expect(trainSet.inputs.scalars == trainExpected)
    // Labels 0 and 1 only in the test file, but the network has the training set's 3 classes.
    #expect(testSet.outputDimension == 3)
  }
}

/// The same for `.npy` features and labels.
@Test func givenNpyTestFilesAreUsedAsTheyAre() throws {
  func floats(_ values: [Float]) -> [UInt8] { littleEndian(values.map(\.bitPattern)) }
  let features = try temporaryFile(
    "x.npy", npyBytes(descr: "<f4", shape: "(3, 2)", data: floats([1, 2, 3, 4, 5, 6])))
  let labels = try temporaryFile(
    "y.npy", npyBytes(descr: "<i8", shape: "(3,)", data: littleEndian([Int64(0), 1, 1])))
  let testFeatures = try temporaryFile(
    "tx.npy", npyBytes(descr: "<f4", shape: "(2, 2)", data: floats([-1, -2, 7, 8])))
  let testLabels = try temporaryFile(
    "ty.npy", npyBytes(descr: "<i8", shape: "(2,)", data: littleEndian([Int64(1), 0])))
  let (train, test) = try DataConfiguration(
    kind: .npy, path: features, labelsPath: labels, testPath: testFeatures,
    testLabelsPath: testLabels
  ).load()
  #expect(train.inputs.scalars == [1, 2, 3, 4, 5, 6] && train.labels == [0, 1, 1])
  #expect(test.inputs.scalars == [-1, -2, 7, 8] && test.labels == [1, 0])
}

/// Mismatched files are errors that name the file and what differs.
@Test func mismatchedTestFilesAreErrors() throws {
  let train = try temporaryFile("train.csv", text: "1,2,0\n3,4,1\n5,6,0\n")
  let wide = try temporaryFile("wide.csv", text: "1,2,3,0\n4,5,6,0\n")
  let unknownClass = try temporaryFile("classes.csv", text: "1,2,2\n")
  expectDataError("3 features per example, but the training data") {
    _ = try DataConfiguration(kind: .csv, path: train, testPath: wide).load()
  }
  expectDataError("label 2 is not a class of the training data (allowed: 0…1)") {
    _ = try DataConfiguration(kind: .csv, path: train, testPath: unknownClass).load()
  }
  expectDataError("cannot read") {
    _ = try DataConfiguration(kind: .csv, path: train, testPath: "/nonexistent/test.csv").load()
  }
}

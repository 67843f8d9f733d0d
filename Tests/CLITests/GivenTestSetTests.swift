import Foundation
import Testing

/// `crit train --dataset csv --data train.csv --test-data test.csv` trains on the training
/// file and reports accuracy on the test file (its size is recorded), records both paths in
/// `config.json` (so `crit train --config` reruns it), and refuses inconsistent inputs with a
/// one-line error and exit status 2.
@Test func trainWithAGivenTestSet() throws {
  let trainRows = (0..<40).map { i in "\(Double(i % 7) - 3),\(Double(i % 5) - 2),\(i % 2)" }
  let train = temporaryPath("train.csv", contents: trainRows.joined(separator: "\n") + "\n")
  let test = temporaryPath("test.csv", contents: "0.5,1,1\n-2,0,0\n1,-1,1\n")
  let out = temporaryPath("run")
  let (status, errors) = runCrit([
    "train", "--dataset", "csv", "--data", train, "--test-data", test, "--epochs", "3",
    "--hidden", "8", "--quiet", "--out", out,
  ])
  #expect(status == 0, "\(errors)")
  let config =
    try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: "\(out)/config.json"))) as! [String: Any]
  let data = config["data"] as! [String: Any]
  #expect(data["path"] as? String == train)
  #expect(data["testPath"] as? String == test)
  // Test accuracies are multiples of 1/3: three test rows.
  let metrics = try String(contentsOfFile: "\(out)/metrics.csv", encoding: .utf8)
  let header = metrics.split(separator: "\n")[0].split(separator: ",").map(String.init)
  let column = try #require(header.firstIndex(of: "test_accuracy"))
  for row in metrics.split(separator: "\n").dropFirst() {
    let accuracy = try #require(Double(row.split(separator: ",")[column]))
    #expect(abs(accuracy * 3 - (accuracy * 3).rounded()) < 1e-9, "\(accuracy)")
  }
  let wide = temporaryPath("wide.csv", contents: "1,2,3,0\n")
  let npyFeatures = temporaryPath("x.npy", contents: "")
  for (arguments, fragment) in [
    (["--dataset", "csv", "--data", train, "--test-data", wide], "3 features per example"),
    (
      ["--dataset", "csv", "--data", train, "--test-data", test, "--test-fraction", "0.3"],
      "--test-fraction"
    ),
    (["--dataset", "moons", "--test-data", test], "--test-data"),
    (["--dataset", "csv", "--data", train, "--test-data", "/nonexistent.csv"], "cannot read"),
    (
      ["--dataset", "npy", "--data", npyFeatures, "--labels", npyFeatures, "--test-data", test],
      "--test-labels"
    ),
    (
      ["--dataset", "csv", "--data", train, "--test-data", test, "--test-labels", test],
      "--test-labels"
    ),
  ] {
    let (code, messages) = runCrit(["train", "--epochs", "1", "--quiet"] + arguments)
    #expect(code == 2, "\(arguments): \(messages)")
    #expect(messages.count == 1 && messages[0].contains(fragment), "\(arguments): \(messages)")
  }
}

/// What the README shows works as typed: a negative `--label-column` given as a separate
/// argument, and a trainability image smaller than the default tile count.
@Test func readmeUsageWorksAsTyped() throws {
  let rows = (0..<20).map { i in "\(i % 2),\(Double(i % 5) - 2),\(Double(i % 3))" }
  let data = temporaryPath("labels-first.csv", contents: rows.joined(separator: "\n") + "\n")
  let (status, errors) = runCrit([
    "train", "--dataset", "csv", "--data", data, "--label-column", "-3", "--epochs", "1",
    "--hidden", "4", "--quiet", "--out", temporaryPath("run-label"),
  ])
  #expect(status == 0, "\(errors)")
  let small = runCrit([
    "run", "trainability", "--resolution", "8", "--steps", "40", "--quiet", "--runs",
    temporaryPath("runs-small"),
  ])
  #expect(small.status == 0, "\(small.errors)")
}

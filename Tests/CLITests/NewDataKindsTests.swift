import Foundation
import Testing

/// The random-network teacher and sparse parity from the command line: their options are
/// checked like every other (named, with what is allowed), and each trains.
@Test(arguments: [
  (
    ["--dataset", "sparse-parity", "--parity-bits", "0"],
    "crit: error: --parity-bits: must be between 1 and --dimension (32), got 0"
  ),
  (
    ["--dataset", "moons", "--teacher-width", "5"],
    "crit: error: --teacher-width: does not apply to --dataset moons (it shapes random-teacher)"
  ),
  (
    ["--dataset", "random-teacher", "--teacher-width", "0"],
    "crit: error: --teacher-width: must be in 1…100000, got 0"
  ),
])
func newDataKindOptionsAreChecked(arguments: [String], message: String) {
  let (status, errors) = runCrit(["train", "--epochs", "1"] + arguments)
  #expect(status == 2)
  #expect(errors == [message])
}

@Test(arguments: [
  ["--dataset", "random-teacher", "--task", "regression"],
  ["--dataset", "sparse-parity", "--dimension", "8", "--parity-bits", "2"],
])
func newDataKindsTrain(arguments: [String]) throws {
  let out = temporaryPath("run")
  let (status, errors) = runCrit(
    ["train", "--epochs", "2", "--samples", "200", "--hidden", "16", "--out", out] + arguments)
  #expect(status == 0, "\(errors)")
  #expect(FileManager.default.fileExists(atPath: "\(out)/summary.json"))
}

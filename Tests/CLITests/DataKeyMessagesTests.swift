import Foundation
import Testing

/// The data library names configuration keys (`data.path`, `data.kind`); `crit train` shows
/// the options that set them, and leaves a key that is only part of a file path alone.
@Test(arguments: [
  (["--dataset", "csv"], "--dataset csv needs --data FILE.csv"),
  (
    ["--dataset", "npy", "--data", "x.npy"],
    "--dataset npy needs --data FEATURES.npy and --labels LABELS.npy"
  ),
])
func dataErrorsNameOptions(arguments: [String], message: String) {
  let (status, errors) = runCrit(["train", "--epochs", "1"] + arguments)
  #expect(status == 2)
  #expect(errors == ["crit: error: \(message)"])
}

@Test func keysInsideFilePathsStayAsTheyAre() {
  let path = temporaryPath("data.path")
  let missing = path + "/data.kind.csv"
  let (status, errors) = runCrit(["train", "--dataset", "csv", "--data", missing])
  #expect(status == 2)
  #expect(errors.count == 1)
  #expect(errors.first?.contains(missing) == true, "\(errors)")
  #expect(errors.first?.contains("--data/") == false, "\(errors)")
}

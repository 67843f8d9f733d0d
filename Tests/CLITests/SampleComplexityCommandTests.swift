import Foundation
import Testing

/// `crit run sample-complexity` refuses unusable options before any work: exit status 2 and a
/// line naming the option and what is allowed (the shipped binary, as users meet it).
@Test(arguments: [
  (["--dimensions", "0"], "--dimensions"), (["--ratios", "4,x"], "--ratios"),
  (["--seeds", "0"], "--seeds"), (["--temperature", "-1"], "--temperature"),
  (["--steps", "-5"], "--steps"), (["--jobs", "0"], "--jobs"),
])
func sampleComplexityCommandRefusesBadOptions(arguments: [String], option: String) throws {
  let (status, _, errors) = try runShippedCrit(
    ["run", "sample-complexity", "--quick"] + arguments)
  #expect(status == 2, "\(errors)")
  #expect(errors.contains(option), "\(errors)")
}

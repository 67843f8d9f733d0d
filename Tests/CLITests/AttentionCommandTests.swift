import Foundation
import Testing

/// `crit run attention` refuses unusable options before any work: exit status 2 and a line
/// naming the option (the shipped binary, as users meet it).
@Test(arguments: [
  (["--seeds", "0"], "--seeds"), (["--depth", "0"], "--depth"), (["--jobs", "0"], "--jobs"),
  (["--lease", "-1"], "--lease"), (["--training-seeds", "0"], "--training-seeds"),
  (["--steps", "0"], "--steps"),
])
func attentionCommandRefusesBadOptions(arguments: [String], option: String) throws {
  let (status, _, errors) = try runShippedCrit(["run", "attention", "--quick"] + arguments)
  #expect(status == 2, "\(errors)")
  #expect(errors.contains(option), "\(errors)")
}

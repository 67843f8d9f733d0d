import Foundation
import Testing

/// `crit run scaling` refuses unusable options before any work: exit status 2 and a line naming
/// the option and what is allowed (the shipped binary, as users meet it).
@Test(arguments: [
  (["--draws", "1"], "--draws"), (["--jobs", "0"], "--jobs"), (["--lease", "-3"], "--lease"),
])
func scalingCommandRefusesBadOptions(arguments: [String], option: String) throws {
  let (status, _, errors) = try runShippedCrit(["run", "scaling", "--quick"] + arguments)
  #expect(status == 2, "\(errors)")
  #expect(errors.contains(option), "\(errors)")
}

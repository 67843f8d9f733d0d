import Foundation
import Tensors
import Testing

/// Generic kernels on a processor with vector units get the vectorised family of its widest
/// units; a vectorised choice, or a processor without AVX2, is left alone.
@Test func blasKernelReplacementFollowsTheVectorUnits() {
  #expect(BLASKernelChoice.replacement(for: "Prescott", vectorLevel: 3) == "SkylakeX")
  #expect(BLASKernelChoice.replacement(for: "Nehalem", vectorLevel: 2) == "Haswell")
  #expect(BLASKernelChoice.replacement(for: "Prescott", vectorLevel: 1) == nil)
  for chosen in ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SAPPHIRERAPIDS"] {
    #expect(BLASKernelChoice.replacement(for: chosen, vectorLevel: 3) == nil, "\(chosen)")
  }
}

/// The shipped binary starts itself again with vectorised kernels where OpenBLAS chose its
/// generic ones (OpenBLAS prints the kernels it loads when `OPENBLAS_VERBOSE=2`): the test
/// process, started without `OPENBLAS_CORETYPE`, tells what the library chose on this machine;
/// the binary's last load names the replacement then, and only one load happens otherwise.
/// A user's own `OPENBLAS_CORETYPE` is kept: one load, with the kernels it names.
@Test func shippedBinaryRunsVectorisedBLASKernels() throws {
  var environment = ProcessInfo.processInfo.environment
  environment["OPENBLAS_CORETYPE"] = nil
  environment["OPENBLAS_VERBOSE"] = "2"
  func loads(_ environment: [String: String]) throws -> [String] {
    let run = try runShippedCrit(["--version"], environment: environment)
    #expect(run.status == 0, "\(run.errors)")
    return run.errors.split(separator: "\n").compactMap { line in
      line.hasPrefix("Core: ") ? String(line.dropFirst(6)) : nil
    }
  }
  let cores = try loads(environment)
  let inTestProcess = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil
  if inTestProcess, let expected = BLASKernelChoice.replacement {
    #expect(cores.count == 2 && cores.last == expected, "\(cores)")
  } else if !cores.isEmpty {
    #expect(cores.count == 1, "\(cores)")
  }
  environment["OPENBLAS_CORETYPE"] = "Haswell"
  let chosen = try loads(environment)
  // A build without run-time kernel choice prints nothing and ignores the variable.
  if !chosen.isEmpty { #expect(chosen == ["Haswell"], "\(chosen)") }
}

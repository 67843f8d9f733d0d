import Experiments
import Foundation

extension Crit {
  /// Starts this program again with `OPENBLAS_CORETYPE` naming vectorised kernels when OpenBLAS
  /// fell back to its generic ones on a processor it does not know (``BLASKernelChoice``); the
  /// variable is read only when the library loads, so it cannot take effect in this process.
  /// Does nothing when the variable is already set (by the user, or by the first start), when
  /// the choice is already vectorised, or when the program's own path cannot be executed;
  /// returns only if it did not start again.
  public static func relaunchWithVectorisedBLASIfNeeded() {
    #if os(Linux)
      guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
        let kernels = BLASKernelChoice.replacement
      else { return }
      setenv("OPENBLAS_CORETYPE", kernels, 1)
      let arguments = CommandLine.arguments
      var pointers = arguments.map { strdup($0) } + [nil]
      execv("/proc/self/exe", &pointers)
      // Only reached when execv failed: go on with the generic kernels.
      for pointer in pointers { free(pointer) }
    #endif
  }
}

import CLinearAlgebra

/// Process-wide memory settings for numerical work.
public enum Allocator {
  /// Keeps freed memory in the process instead of returning it to the kernel after every
  /// training step. glibc's defaults trim the heap top above 128 KiB and serve large blocks
  /// by `mmap`, so a loop that frees and reallocates the same tensors pays page faults and TLB
  /// shootdowns on every step; raising both thresholds removes that cost.
  ///
  /// Called once by the command-line tool at start (a process setting: the library leaves it to
  /// the caller; repeating it is harmless).
  public static func configureForNumericalWork() {
    #if os(Linux)
      _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
      _ = mallopt(M_MMAP_THRESHOLD, 1 << 25)
    #endif
  }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A run would need more memory than the process may use. One line: what needs it, how much,
/// and how much is allowed (and by what).
public struct MemoryBudgetError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// How much memory a run may use, and a check of an estimate against it before any work
/// starts, so that an oversized request is refused with the amount it needs instead of
/// failing in the middle (or being killed by the kernel).
///
/// The limit is the smallest of the machine's physical memory, the process's address-space
/// limit (`ulimit -v`, less the address space already mapped) and the cgroup's `memory.max`
/// (containers, Slurm jobs). Estimates count the large arrays of a run; they are upper
/// bounds within a small factor, so a run the check admits fits.
public enum MemoryBudget {
  /// The limit in bytes and what sets it.
  public static var limit: (bytes: Double, source: String) {
    var best = (bytes: physicalMemory, source: "physical memory")
    var rlimit = rlimit()
    if getrlimit(Int32(RLIMIT_AS.rawValue), &rlimit) == 0, rlimit.rlim_cur != rlim_t.max {
      let free = Double(rlimit.rlim_cur) - mappedBytes
      if free < best.bytes { best = (max(free, 0), "the address-space limit (ulimit -v)") }
    }
    if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
      let bytes = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes < best.bytes
    {
      best = (bytes, "the cgroup limit (memory.max)")
    }
    return best
  }

  static var physicalMemory: Double {
    Double(ProcessInfo.processInfo.physicalMemory)
  }

  /// Address space this process has mapped already (VmSize).
  static var mappedBytes: Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
      let pages = text.split(separator: " ").first.flatMap({ Double($0) })
    else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// Throws when `bytes` exceed the limit; `what` names the request ("--hidden 100000000,10").
  public static func check(_ bytes: Double, for what: String) throws {
    let (allowed, source) = limit
    guard bytes > allowed else { return }
    throw MemoryBudgetError(
      "\(what): needs about \(format(bytes)) of memory; \(source) allows \(format(allowed))")
  }

  /// Bytes as B, KiB, MiB, GiB, TiB or EiB with three significant digits.
  public static func format(_ bytes: Double) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = bytes
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if !value.isFinite || value >= 1024 { return "more than 1 ZiB" }
    return "\(String(format: value < 10 ? "%.2f" : "%.0f", value)) \(units[unit])"
  }
}

import ArgumentParser
import Experiments

/// Bounds shared by the commands' count options. Each is far above what a study on one
/// machine uses and far below where the arithmetic or the allocation of the request breaks;
/// memory-heavy sizes are checked against ``Tensors/MemoryBudget`` as well.
enum OptionLimits {
  /// Seeds of a protocol (each seed is one or more runs).
  static let seeds = 10_000
  /// Worker or BLAS threads.
  static let threads = 1024
  /// Entries of a comma-separated list option (radii, gains, variances).
  static let listItems = 1000
  /// Steps of a simulation or of a training loop counted in steps.
  static let steps = 100_000_000
  /// Epochs of a training run.
  static let epochs = TrainingConfiguration.Limits.epochs
  /// Units of a recurrent network or reservoir (an N × N matrix).
  static let units = 20_000
}

/// Refuses an integer option outside `range` (no-op for an absent optional option); below the
/// range, `tooFew` (when given) says why the lower bound is there.
func checkCount(
  _ value: Int?, _ option: String, _ range: ClosedRange<Int>, tooFew: String? = nil
) throws {
  guard let value, !range.contains(value) else { return }
  if let tooFew, value < range.lowerBound {
    throw ValidationError("\(option): \(tooFew), got \(value)")
  }
  throw ValidationError(
    "\(option): must be an integer in \(range.lowerBound)…\(range.upperBound), got \(value)")
}

/// Refuses a number option that is not finite or lies outside `range`.
func checkNumber(_ value: Double?, _ option: String, _ range: ClosedRange<Double>) throws {
  guard let value, !(value.isFinite && range.contains(value)) else { return }
  throw ValidationError(
    "\(option): must be a finite number in [\(range.lowerBound.compactText), \(range.upperBound.compactText)], got \(value)"
  )
}

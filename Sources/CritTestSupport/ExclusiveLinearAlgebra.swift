import Foundation

/// The BLAS thread count is one setting of the whole process, and the test targets run in one
/// process, in parallel. A test that changes it (to compare one thread with two) and a test
/// that compares two runs bit for bit both run their body under this lock, so that the one
/// cannot switch threads under the other mid-run.
public func withExclusiveLinearAlgebra<T>(_ body: () throws -> T) rethrows -> T {
  exclusiveLinearAlgebraLock.lock()
  defer { exclusiveLinearAlgebraLock.unlock() }
  return try body()
}

private let exclusiveLinearAlgebraLock = NSLock()

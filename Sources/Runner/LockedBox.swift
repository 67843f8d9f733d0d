import Foundation

/// A value shared between threads, reachable only under its lock.
public final class LockedBox<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  public init(_ value: Value) { self.value = value }

  /// Runs `body` with the value while holding the lock.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    try lock.withLock { try body(&value) }
  }

  /// A copy of the value.
  public var current: Value { lock.withLock { value } }
}

/// A flag that asks running work to stop at its next checkpoint (set by Ctrl-C).
public final class StopFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var stopped = false
  public init() {}
  public func stop() { lock.withLock { stopped = true } }
  public var isStopped: Bool { lock.withLock { stopped } }
}

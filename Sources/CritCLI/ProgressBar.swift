import Experiments
import Foundation

/// A progress bar on standard error with rate, ETA and live fields:
/// `epoch  37/200 [██████░░░░░░░░]  18%  512 epoch/s  ETA 0:01  loss 0.1234  test acc 96.5%`.
///
/// On a terminal it redraws one line in place (at most 20 times a second); when standard
/// error is a file or pipe it prints a line at every tenth of the work instead.
struct ProgressBar {
  let total: Int
  let unit: String
  let enabled: Bool
  let isTerminal = isatty(FileHandle.standardError.fileDescriptor) == 1
  let clock = ContinuousClock()
  let start: ContinuousClock.Instant
  var lastDraw: ContinuousClock.Instant
  var lastDecile = 0
  var line = ""

  init(total: Int, unit: String, enabled: Bool = true) {
    self.total = max(total, 1)
    self.unit = unit
    self.enabled = enabled
    start = clock.now
    lastDraw = start - .seconds(1)
  }

  /// The work done so far, counted by ``advance(by:fields:)``.
  var completed = 0

  /// Adds `count` to the work done and redraws.
  mutating func advance(by count: Int = 1, fields: [(String, String)] = []) {
    completed += count
    update(completed: completed, fields: fields)
  }

  mutating func update(completed: Int, fields: [(String, String)] = []) {
    guard enabled else { return }
    let now = clock.now
    let elapsed = (now - start).inSeconds
    let rate = elapsed > 0 ? Double(completed) / elapsed : 0
    let remaining = rate > 0 ? Double(total - completed) / rate : 0
    let fraction = Double(completed) / Double(total)
    let width = 24
    let filled = Int(fraction * Double(width))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let counter =
      "\(String(repeating: " ", count: max(0, String(total).count - String(completed).count)))\(completed)/\(total)"
    line =
      "\(unit) \(counter) [\(bar)] \(String(format: "%3.0f%%", 100 * fraction))  "
      + "\(formatRate(rate)) \(unit)/s  ETA \(formatDuration(remaining))"
      + fields.map { "  \($0.0) \($0.1)" }.joined()
    if isTerminal {
      if (now - lastDraw).inSeconds >= 0.05 || completed == total {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        lastDraw = now
      }
    } else {
      let decile = Int(fraction * 10)
      if decile > lastDecile || completed == total {
        lastDecile = decile
        FileHandle.standardError.write(Data("\(line)\n".utf8))
      }
    }
  }

  /// Ends the bar's line.
  mutating func finish() {
    if enabled && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

func formatRate(_ rate: Double) -> String {
  rate >= 100 ? String(format: "%.0f", rate) : String(format: "%.1f", rate)
}

func formatDuration(_ seconds: Double) -> String {
  guard seconds.isFinite else { return "--:--" }
  let s = Int(seconds.rounded())
  return s >= 3600
    ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    : String(format: "%d:%02d", s / 60, s % 60)
}

/// A progress bar shared by worker threads.
final class LockedProgress: @unchecked Sendable {
  let lock = NSLock()
  var bar: ProgressBar
  init(total: Int, unit: String, enabled: Bool) {
    bar = ProgressBar(total: total, unit: unit, enabled: enabled)
  }
  func update(_ done: Int) { lock.withLock { bar.update(completed: done) } }
  func finish() { lock.withLock { bar.finish() } }
}

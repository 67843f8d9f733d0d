import Experiments
import Foundation

/// Ctrl-C during `crit demo`: the finished runs are on disk; the message says where.
struct InterruptedDemo: Error, CustomStringConvertible {
  var finished: Int
  var total: Int
  var directory: String
  var description: String {
    "interrupted: \(finished) of \(total) runs finished and are kept in \(directory)/; run the same command again to resume (no report was written yet)"
  }
}

/// On SIGINT, asks running work to stop at the next epoch instead of killing the process.
func installInterruptHandler(_ stop: StopFlag) -> DispatchSourceSignal {
  signal(SIGINT, SIG_IGN)
  let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
  source.setEventHandler {
    stop.stop()
    Crit.writeToStandardError("\ncrit: stopping after the current epoch (Ctrl-C)…")
  }
  source.resume()
  return source
}

/// Ctrl-C during a sweep: what is finished stays in the store.
struct InterruptedSweep: Error, CustomStringConvertible {
  var finished: Int
  var total: Int
  var store: String
  var description: String {
    "interrupted: \(finished) of \(total) runs are finished in \(store); run the same command again to resume"
  }
}

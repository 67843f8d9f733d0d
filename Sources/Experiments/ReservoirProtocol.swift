import Data
import Indicators
import NN

/// SPEC §7 protocol 5, `reservoir`: recurrent networks at the edge of chaos, in three parts —
/// echo-state memory capacity and NARMA-10 error against the spectral radius
/// (``EchoStateSweep``), λ_max of random networks against the gain beside mean field
/// (``LyapunovSweep``), and trained RNNs with and without recurrent spectral control on
/// memory tasks (``RecurrentProtocol``).
public struct ReservoirProtocol: Codable, Hashable, Sendable {
  public var name: String
  public var echoState: EchoStateSweep
  public var lyapunov: LyapunovSweep
  public var recurrent: RecurrentProtocol

  /// The full protocol: N = 100 reservoirs at ρ = 0.1 … 1.6 (5 seeds, 10⁴ steps); N = 1000
  /// random networks at 9 gains; 4 conditions × 3 tasks × 5 seeds of trained 64-unit RNNs.
  public static func full() -> ReservoirProtocol {
    ReservoirProtocol(
      name: "reservoir", echoState: EchoStateSweep(), lyapunov: LyapunovSweep(),
      recurrent: RecurrentProtocol())
  }

  /// A few-minute version: 2 reservoir seeds and shorter runs, N = 300 random networks at 5
  /// gains, 2 tasks × 3 seeds × 12 epochs of RNN training.
  public static func quick() -> ReservoirProtocol {
    var base = RecurrentTrainingConfiguration()
    base.epochs = 12
    base.trainSequences = 256
    base.testSequences = 128
    return ReservoirProtocol(
      name: "reservoir-quick",
      echoState: EchoStateSweep(
        readout: ReadoutProtocol(washout: 300, train: 2000, test: 1000), maxDelay: 200,
        seeds: [0, 1]),
      lyapunov: LyapunovSweep(
        gains: [0.5, 0.9, 1.5, 2, 3], units: 300, steps: 1000, transient: 300),
      recurrent: RecurrentProtocol(
        base: base,
        tasks: [
          RecurrentProtocol.Task(
            name: "recall-1to5", task: .delayedRecall(lags: Array(1...5), symbols: 2), length: 30),
          RecurrentProtocol.Task(name: "narma10", task: .narma10(burnIn: 20), length: 50),
        ],
        seeds: [0, 1, 2]))
  }
}

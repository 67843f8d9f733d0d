import Data
import Foundation
import Indicators
import NN
import Tensors

/// A reservoir given as files — its recurrent matrix W (N × N), input weights W_in (N × d, or
/// N values for one input) and optionally a bias (N values) — replayed on an input series
/// (T values, or T × d) by the echo-state recurrence
/// `x(t) = (1 − a) x(t−1) + a φ(W x(t−1) + W_in u(t) + b)`, `x(0) = 0`, with W as given (not
/// rescaled): the states a library that built the reservoir (reservoirpy's `Reservoir.run`,
/// for one) computes from the same matrices, to rounding. With one input channel the states'
/// memory capacity is measured too (``MemoryCapacity``).
public struct ReservoirReplay: Sendable {
  public var network: EchoStateNetwork
  public var inputs: Tensor<Double>
  /// The largest eigenvalue modulus of W as given.
  public var spectralRadius: Double

  /// Reads and checks the files: shapes must agree and every value must be finite.
  public init(
    weights: String, inputWeights: String, inputs inputPath: String, bias: String? = nil,
    leakRate: Double = 1, activation: Activation = .tanh
  ) throws {
    let w = try NPYArray.read(path: weights)
    guard w.shape.count == 2, w.shape[0] == w.shape[1], w.shape[0] >= 1 else {
      throw DataError("\(weights): W must be a square N × N array, got shape \(w.shape)")
    }
    let n = w.shape[0]
    guard n <= 20_000 else {
      throw DataError("\(weights): N = \(n) units (allowed: at most 20000)")
    }
    let wIn = try NPYArray.read(path: inputWeights)
    let channels: Int
    switch wIn.shape.count {
    case 1 where wIn.shape[0] == n: channels = 1
    case 2 where wIn.shape[0] == n && wIn.shape[1] >= 1: channels = wIn.shape[1]
    default:
      throw DataError(
        "\(inputWeights): W_in must have shape (\(n), d) or (\(n),) to match W, got \(wIn.shape)")
    }
    let u = try NPYArray.read(path: inputPath)
    let steps = u.shape.first ?? 0
    guard steps >= 1,
      u.shape.count == 1 && channels == 1 || u.shape.count == 2 && u.shape[1] == channels
    else {
      throw DataError(
        "\(inputPath): the input must have shape (T, \(channels))"
          + (channels == 1 ? " or (T,)" : "") + " to match W_in, got \(u.shape)")
    }
    var b = [Double](repeating: 0, count: n)
    if let bias {
      let array = try NPYArray.read(path: bias)
      guard array.shape == [n] || array.shape == [n, 1] || array.shape == [1, n] else {
        throw DataError("\(bias): the bias must hold \(n) values, got shape \(array.shape)")
      }
      b = array.values
    }
    for (path, values) in [(weights, w.values), (inputWeights, wIn.values), (inputPath, u.values)]
      + (bias.map { [($0, b)] } ?? [])
    {
      if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw DataError("\(path): value \(bad) is \(values[bad]); every value must be finite")
      }
    }
    guard leakRate > 0 && leakRate <= 1 else {
      throw DataError("leak rate must be in (0, 1], got \(leakRate)")
    }
    let matrix = Tensor<Double>(shape: [n, n], scalars: w.values)
    network = EchoStateNetwork(
      reservoir: matrix, inputWeights: Tensor(shape: [n, channels], scalars: wIn.values),
      bias: b, leakRate: leakRate, activation: activation)
    inputs = Tensor(shape: [steps, channels], scalars: u.values)
    spectralRadius = try Tensors.spectralRadius(matrix)
  }

  /// The states `(T, N)`.
  public func states() -> Tensor<Double> { network.states(inputs) }
}

/// What a replay found: the reservoir's size and spectral radius, and with one input channel
/// the memory capacity per delay under `readout`.
public struct ReservoirReplayResult: Codable, Sendable, Equatable {
  public var units: Int
  public var steps: Int
  public var inputChannels: Int
  public var spectralRadius: Double
  /// `MC_k` for k = 0…maxDelay (one input channel only).
  public var memoryCapacity: [Double]?
  public var totalMemoryCapacity: Double?
  public var readout: ReadoutProtocol?
  public var maxDelay: Int?
}

extension ReservoirReplay {
  /// Drives the reservoir, writes its states to `statesPath` (`.npy`, T × N) when given, and
  /// with one input channel and a `readout` whose steps equal the input's measures the memory
  /// capacity of delays `0…maxDelay`.
  public func run(statesPath: String?, readout: ReadoutProtocol?, maxDelay: Int) throws
    -> ReservoirReplayResult
  {
    let x = states()
    if let statesPath { try writeNPY(x.scalars, shape: [x.rows, x.columns], to: statesPath) }
    var result = ReservoirReplayResult(
      units: x.columns, steps: x.rows, inputChannels: inputs.columns,
      spectralRadius: spectralRadius)
    if inputs.columns == 1, let readout {
      precondition(readout.steps == x.rows, "readout of \(readout.steps) steps, input \(x.rows)")
      let mc = try MemoryCapacity(
        states: x, input: inputs.scalars, maxDelay: maxDelay, protocol: readout)
      result.memoryCapacity = mc.perDelay
      result.totalMemoryCapacity = mc.total
      result.readout = readout
      result.maxDelay = maxDelay
    }
    return result
  }
}

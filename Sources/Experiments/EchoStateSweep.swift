import Data
import Dispatch
import Foundation
import Indicators
import NN
import Runner
import Tensors

/// Memory capacity and NARMA-10 error of echo-state networks over a range of spectral radii
/// (SPEC §7 protocol 5, first part).
///
/// For each seed one reservoir is drawn (``EchoStateNetwork``) and scaled to every radius ρ
/// (so radii differ only in ρ). Memory capacity: the scalar input is i.i.d. uniform on
/// [−1, 1]; delays 0…`maxDelay`; ``MemoryCapacity``. NARMA-10: input i.i.d. uniform on
/// [0, ½] through input weights rescaled to `narmaInputScaling`, the readout at step t predicts
/// `y(t+1)`; normalised RMSE on the test steps. Both use `readout`.
public struct EchoStateSweep: Codable, Hashable, Sendable {
  public var reservoir: ReservoirConfiguration
  public var radii: [Double]
  public var readout: ReadoutProtocol
  /// K: delays 0…K (at most the washout).
  public var maxDelay: Int
  public var seeds: [UInt64]
  /// Also measure the NARMA-10 error.
  public var narma: Bool
  public var narmaInputScaling: Double

  public init(
    reservoir: ReservoirConfiguration = ReservoirConfiguration(),
    radii: [Double] = (1...16).map { Double($0) / 10 },
    readout: ReadoutProtocol = ReadoutProtocol(), maxDelay: Int? = nil,
    seeds: [UInt64] = Array(0..<5), narma: Bool = true, narmaInputScaling: Double = 1
  ) {
    self.reservoir = reservoir
    self.radii = radii
    self.readout = readout
    self.maxDelay = maxDelay ?? min(2 * reservoir.units, readout.washout)
    self.seeds = seeds
    self.narma = narma
    self.narmaInputScaling = narmaInputScaling
  }

  /// Why the sweep cannot run (the key and what is allowed), or `nil`.
  public var problem: (key: String, message: String)? {
    if let p = reservoir.problem { return ("reservoir.\(p.key)", p.message) }
    if let p = readout.problem { return ("readout.\(p.key)", p.message) }
    if radii.isEmpty || radii.contains(where: { !($0 >= 0 && $0.isFinite) }) {
      return ("radii", "need at least one finite spectral radius ≥ 0, got \(radii)")
    }
    if maxDelay < 0 || maxDelay > readout.washout {
      return ("maxDelay", "must be in 0…washout (\(readout.washout)), got \(maxDelay)")
    }
    if seeds.isEmpty { return ("seeds", "need at least one seed") }
    if !(narmaInputScaling >= 0 && narmaInputScaling.isFinite) {
      return ("narmaInputScaling", "must be a finite number ≥ 0, got \(narmaInputScaling)")
    }
    if reservoir.inputs != 1 {
      return ("reservoir.inputs", "the protocol drives one input, got \(reservoir.inputs)")
    }
    return nil
  }
}

/// One reservoir (radius, seed) of an ``EchoStateSweep``.
public struct EchoStatePoint: Codable, Sendable, Equatable {
  public var radius: Double
  public var seed: UInt64
  public var memoryCapacity: MemoryCapacity
  public var narmaNRMSE: Double?
}

extension EchoStateSweep {
  /// Runs the sweep on `jobs` threads (one BLAS thread each): every seed's radii are split into
  /// groups, each group advanced together (``EchoStateNetwork/states(_:spectralRadii:)``).
  /// Results do not depend on `jobs`. `progress` is called (serialised) with the number of
  /// reservoirs done.
  public func run(jobs: Int = 1, progress: @escaping @Sendable (Int) -> Void = { _ in }) throws
    -> [EchoStatePoint]
  {
    let groupsPerSeed = max(1, min(radii.count, (jobs + seeds.count - 1) / seeds.count))
    let groupSize = (radii.count + groupsPerSeed - 1) / groupsPerSeed
    let groups = stride(from: 0, to: radii.count, by: groupSize).map {
      Array(radii[$0..<min($0 + groupSize, radii.count)])
    }
    let work = seeds.flatMap { seed in groups.map { (seed: seed, radii: $0) } }
    let done = LockedBox(0)
    let sweep = self
    let results = try ParallelMap.run(
      work, jobs: jobs,
      onResult: { _, points in
        done.withLock { count in
          count += points.count
          progress(count)
        }
      }
    ) { _, item in try sweep.measure(seed: item.seed, radii: item.radii) }
    return results.flatMap { $0 ?? [] }
  }

  /// The points of one seed at the given radii.
  public func measure(seed: UInt64, radii: [Double]) throws -> [EchoStatePoint] {
    let esn = try EchoStateNetwork(reservoir, seed: seed)
    let steps = readout.steps
    var inputRNG = SplittableRandom(seed: seed).derived("memory-capacity input")
    let u = (0..<steps).map { _ in 2 * inputRNG.nextUniform() - 1 }
    let states = esn.states(Tensor(shape: [steps, 1], scalars: u), spectralRadii: radii)
    var points = try zip(radii, states).map { radius, x in
      EchoStatePoint(
        radius: radius, seed: seed,
        memoryCapacity: try MemoryCapacity(
          states: x, input: u, maxDelay: maxDelay, protocol: readout),
        narmaNRMSE: nil)
    }
    if narma {
      var narmaRNG = SplittableRandom(seed: seed).derived("narma input")
      let v = (0..<steps).map { _ in 0.5 * narmaRNG.nextUniform() }
      let y = narma10(v)
      var scaled = esn
      if reservoir.inputScaling > 0 {
        scaled.inputWeights = esn.inputWeights * (narmaInputScaling / reservoir.inputScaling)
      }
      let narmaStates = scaled.states(Tensor(shape: [steps, 1], scalars: v), spectralRadii: radii)
      let targets = Tensor<Double>(shape: [steps, 1], scalars: Array(y[1...]))
      let observed = targets.slice(alongAxis: 0, (readout.washout + readout.train)..<steps)
      for (i, x) in narmaStates.enumerated() {
        let predicted = try readout.testPredictions(states: x, targets: targets)
        let error = normalizedRootMeanSquareError(predicted, observed)[0]
        points[i].narmaNRMSE = error.isFinite ? error : nil
      }
    }
    return points
  }
}

import Foundation
import Indicators
import NN
import Tensors
import Testing

/// A one-unit linear reservoir x(t) = w x(t−1) + v u(t) with |w| = 0.5 and i.i.d. input has
/// x(t) = v Σ_j w^j u(t−j), so cov(x(t), u(t−k)) = v w^k σ², var x = v² σ²/(1 − w²), and
/// MC_k = w^{2k}(1 − w²) = 0.75·0.25^k exactly (Σ_k MC_k = 1 = N).
///
/// Tolerance: the estimate of a squared correlation ρ² from n = 20,000 test steps has a
/// standard error of about 2ρ(1 − ρ²)/√n ≤ 0.006; 0.02 is over three standard errors.
@Test func oneUnitLinearReservoirMatchesClosedForm() throws {
  let esn = try EchoStateNetwork(
    ReservoirConfiguration(units: 1, spectralRadius: 0.5, inputScaling: 1, activation: .identity),
    seed: 1)
  #expect(abs(abs(esn.reservoir[0, 0]) - 0.5) < 1e-15)
  let p = ReadoutProtocol(washout: 100, train: 20_000, test: 20_000, ridge: 0)
  var rng = SplittableRandom(seed: 2)
  let u = (0..<p.steps).map { _ in 2 * rng.nextUniform() - 1 }
  let states = esn.states(Tensor(shape: [p.steps, 1], scalars: u))
  let mc = try MemoryCapacity(states: states, input: u, maxDelay: 12, protocol: p)
  for k in 0...12 {
    let exact = 0.75 * Foundation.pow(0.25, Double(k))
    #expect(abs(mc.perDelay[k] - exact) < 0.02, "MC_\(k) = \(mc.perDelay[k]), exact \(exact)")
  }
  #expect(abs(mc.perDelay[0] - 0.75) < 0.01)
  #expect(abs(mc.total - 1) < 0.02)
}

/// Linear reservoirs of N = 20 and 50 units: Σ_{k≥0} MC_k = N within 1 % (White, Lee &
/// Sompolinsky 2004; Jaeger 2001). ρ = 0.9 so that the memory has decayed by k = 2N·…
/// (0.9^{2k} < 10⁻⁹ at k = 100); QR readout, because the states of a linear reservoir are
/// nearly collinear (condition numbers of 10⁶–10⁸) and the normal equations would square that.
@Test(arguments: [20, 50])
func linearReservoirCapacityEqualsUnits(units: Int) throws {
  let esn = try EchoStateNetwork(
    ReservoirConfiguration(
      units: units, spectralRadius: 0.9, inputScaling: 1, activation: .identity),
    seed: 7)
  let p = ReadoutProtocol(washout: 400, train: 20_000, test: 20_000, ridge: 0, solver: .qr)
  var rng = SplittableRandom(seed: 8)
  let u = (0..<p.steps).map { _ in 2 * rng.nextUniform() - 1 }
  let states = esn.states(Tensor(shape: [p.steps, 1], scalars: u))
  let mc = try MemoryCapacity(states: states, input: u, maxDelay: 400, protocol: p)
  #expect(abs(mc.total - Double(units)) < 0.01 * Double(units), "Σ MC_k = \(mc.total)")
}

/// Advancing reservoirs of several radii together gives the same states as one at a time
/// (the batched product only regroups independent rows).
@Test func batchedRadiiEqualSeparateRuns() throws {
  let base = ReservoirConfiguration(
    units: 30, spectralRadius: 0.8, inputScaling: 0.5, leakRate: 0.7)
  let esn = try EchoStateNetwork(base, seed: 3)
  var rng = SplittableRandom(seed: 4)
  let u = Tensor<Double>.randomUniform([200, 1], low: -1, high: 1, using: &rng)
  let together = esn.states(u, spectralRadii: [0.3, 0.8, 1.4])
  for (i, rho) in [0.3, 0.8, 1.4].enumerated() {
    var single = base
    single.spectralRadius = rho
    let alone = try EchoStateNetwork(single, seed: 3).states(u)
    let gap = zip(alone.scalars, together[i].scalars).map { abs($0 - $1) }.max()!
    #expect(gap < 1e-12, "ρ = \(rho): \(gap)")
  }
  // And the rescaled reservoir has the requested spectral radius.
  #expect(abs(try spectralRadius(esn.reservoir) - 0.8) < 1e-12)
}

/// Tanh reservoirs (N = 100, input scaling 0.1): memory capacity rises with ρ up to near 1 and
/// falls beyond it (Jaeger 2001; the protocol's full curve is in the reservoir report).
@Test func tanhReservoirCapacityPeaksNearOne() throws {
  let p = ReadoutProtocol(washout: 500, train: 4000, test: 2000)
  var rng = SplittableRandom(seed: 5)
  let u = (0..<p.steps).map { _ in 2 * rng.nextUniform() - 1 }
  let esn = try EchoStateNetwork(ReservoirConfiguration(units: 100, inputScaling: 0.1), seed: 6)
  let radii = [0.3, 0.6, 0.95, 1.5]
  let totals = try esn.states(Tensor(shape: [p.steps, 1], scalars: u), spectralRadii: radii).map {
    try MemoryCapacity(states: $0, input: u, maxDelay: 200, protocol: p).total
  }
  #expect(totals[0] < totals[1] && totals[1] < totals[2] && totals[2] > totals[3], "\(totals)")
}

/// NRMSE is 0 for a perfect prediction and 1 for predicting the mean.
@Test func normalizedErrorOfExactAndMeanPredictions() {
  let y = Tensor<Double>(shape: [4, 1], scalars: [1, 2, 3, 6])
  #expect(normalizedRootMeanSquareError(y, y)[0] == 0)
  let mean = Tensor<Double>(repeating: 3, shape: [4, 1])
  #expect(abs(normalizedRootMeanSquareError(mean, y)[0] - 1) < 1e-15)
}

/// A sparse reservoir (connectivity 0.1, N = 200) keeps about a tenth of its weights (within
/// five binomial standard errors of 4000 of 40,000) and still has exactly the requested
/// spectral radius.
@Test func sparseReservoirHasItsConnectivityAndRadius() throws {
  let esn = try EchoStateNetwork(
    ReservoirConfiguration(units: 200, spectralRadius: 0.95, connectivity: 0.1), seed: 9)
  let nonzero = esn.reservoir.scalars.filter { $0 != 0 }.count
  let standardError = (40_000 * 0.1 * 0.9).squareRoot()
  #expect(abs(Double(nonzero) - 4000) < 5 * standardError, "\(nonzero) nonzero weights")
  #expect(abs(try spectralRadius(esn.reservoir) - 0.95) < 1e-12)
}

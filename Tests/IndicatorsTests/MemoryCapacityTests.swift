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

/// The covariance route (normal equations, cross-correlations by FFT, r² from quadratic forms)
/// equals the straightforward one written out here: ridge readout of the explicit delayed
/// inputs, predictions on the test rows, squared Pearson correlations. A tanh reservoir of 60
/// units, delays 0…120.
///
/// Tolerance: both are double precision from the same normal equations; they differ in the
/// order of the sums (FFT against direct products) and in the scoring (quadratic forms against
/// predictions). With the Gram matrix's condition number ≈ 10⁴ here the readout weights agree
/// to ~10⁻¹¹ relative, so 10⁻⁹ on each MC_k (values in [0, 1]) is a wide but telling margin: a
/// lag off by one or a wrong centring changes MC_k by 10⁻² or more.
@Test func covarianceRouteEqualsExplicitPredictions() throws {
  let p = ReadoutProtocol(washout: 150, train: 1500, test: 700, ridge: 1e-6)
  var rng = SplittableRandom(seed: 11)
  let u = (0..<p.steps).map { _ in 2 * rng.nextUniform() - 1 }
  let esn = try EchoStateNetwork(ReservoirConfiguration(units: 60, inputScaling: 0.2), seed: 12)
  let states = esn.states(Tensor(shape: [p.steps, 1], scalars: u), spectralRadii: [0.9])[0]
  let maxDelay = 120
  let fast = try MemoryCapacity(states: states, input: u, maxDelay: maxDelay, protocol: p)

  func delayed(_ rows: Range<Int>) -> Tensor<Double> {
    Tensor(shape: [rows.count, maxDelay + 1]) { index in
      u[rows.lowerBound + index / (maxDelay + 1) - index % (maxDelay + 1)]
    }
  }
  let train = p.washout..<(p.washout + p.train)
  let test = (p.washout + p.train)..<p.steps
  let fit = try ridgeRegression(
    states.slice(alongAxis: 0, train), delayed(train), ridge: p.ridge, solver: .cholesky)
  let predicted = fit.predict(states.slice(alongAxis: 0, test))
  let targets = delayed(test)
  for k in 0...maxDelay {
    let a = (0..<test.count).map { predicted[$0, k] }
    let b = (0..<test.count).map { targets[$0, k] }
    let (ma, mb) = (a.reduce(0, +) / Double(a.count), b.reduce(0, +) / Double(b.count))
    let sab = zip(a, b).map { ($0 - ma) * ($1 - mb) }.reduce(0, +)
    let saa = a.map { ($0 - ma) * ($0 - ma) }.reduce(0, +)
    let sbb = b.map { ($0 - mb) * ($0 - mb) }.reduce(0, +)
    let explicit = sab * sab / (saa * sbb)
    #expect(abs(fast.perDelay[k] - explicit) < 1e-9, "MC_\(k): \(fast.perDelay[k]) vs \(explicit)")
  }
  #expect(fast.perDelay[0] > 0.9 && fast.perDelay[maxDelay] < 0.05, "\(fast.perDelay)")
}

/// The reservoir's states equal the recurrence x(t) = tanh(ρ W₁ x(t−1) + W_in u(t) + b) written
/// out here with BLAS products and the C library's tanh, for 37 units (the last panel of eight
/// columns only partly filled) and 11 radii at once (row blocks of six, four and one).
///
/// Tolerance: the step product sums in a different order (and with fused multiply–adds) and
/// the vectorised tanh is within 3 ulp, so each step differs by ~10⁻¹⁵; every radius is below 1,
/// where the echo-state property contracts such differences instead of amplifying them, so
/// after 150 steps they stay near 10⁻¹⁵ — 10⁻¹² is a wide margin that a wrong column, row or
/// lane (an O(0.1) change) cannot pass.
@Test func reservoirStatesEqualTheRecurrenceWrittenOut() throws {
  let units = 37
  let radii = [0.3, 0.5, 0.7, 0.9, 0.95, 0.1, 0.2, 0.4, 0.6, 0.8, 0.85]
  let esn = try EchoStateNetwork(
    ReservoirConfiguration(units: units, inputScaling: 0.8, biasScaling: 0.2), seed: 21)
  var rng = SplittableRandom(seed: 22)
  let u = Tensor<Double>.randomUniform([150, 1], low: -1, high: 1, using: &rng)
  let states = esn.states(u, spectralRadii: radii)
  for (k, rho) in radii.enumerated() {
    var x = Tensor<Double>.zeros([1, units])
    var worst = 0.0
    for t in 0..<150 {
      let pre = matmul(x, esn.unitRadiusReservoir, transposeB: true)
      for i in 0..<units {
        let drive = esn.inputWeights[i, 0] * u[t, 0] + esn.bias[i]
        x[0, i] = Foundation.tanh(rho * pre[0, i] + drive)
        worst = max(worst, abs(x[0, i] - states[k][t, i]))
      }
    }
    #expect(worst < 1e-12, "ρ = \(rho): largest difference \(worst)")
  }
}

/// No radii give no state matrices (the step kernel is never handed an empty batch).
@Test func noRadiiGiveNoStates() throws {
  let esn = try EchoStateNetwork(ReservoirConfiguration(units: 5), seed: 1)
  #expect(esn.states(Tensor<Double>.zeros([4, 1]), spectralRadii: []).isEmpty)
}

/// reservoirpy's defaults (0.4): input weights ±1 on exactly round(0.1·N) units, recurrent
/// density 0.1 (each entry kept with probability 0.1: 40 000 entries give 4000 ± 60, so ±300
/// is five standard deviations), spectral radius 1.
@Test func reservoirpyDefaultsDrawSparseBernoulliReservoirs() throws {
  let esn = try EchoStateNetwork(.reservoirpyDefaults(units: 200), seed: 11)
  let nonzero = esn.inputWeights.scalars.filter { $0 != 0 }
  #expect(nonzero.count == 20)
  #expect(nonzero.allSatisfy { $0 == 1 || $0 == -1 })
  #expect(Set(nonzero).count == 2)
  let density = esn.unitRadiusReservoir.scalars.filter { $0 != 0 }.count
  #expect(abs(density - 4000) <= 300, "\(density) nonzero recurrent weights")
  #expect(abs(try spectralRadius(esn.reservoir) - 1) < 1e-12)
  #expect(esn.bias.allSatisfy { $0 == 0 })
}

/// A configuration stored before the input distribution and connectivity existed decodes as
/// uniform, dense input weights; a stored one keeps them.
@Test func reservoirConfigurationDecodesOlderFiles() throws {
  let old = """
    {"units": 50, "spectralRadius": 0.9, "connectivity": 1, "inputScaling": 0.1, "leakRate": 1,
     "biasScaling": 0, "activation": "tanh", "inputs": 1}
    """
  let decoded = try JSONDecoder().decode(ReservoirConfiguration.self, from: Data(old.utf8))
  #expect(decoded == ReservoirConfiguration(units: 50))
  let sparse = ReservoirConfiguration.reservoirpyDefaults(units: 30)
  let again = try JSONDecoder().decode(
    ReservoirConfiguration.self, from: JSONEncoder().encode(sparse))
  #expect(again == sparse)
}

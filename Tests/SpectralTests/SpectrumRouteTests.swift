import CritTestSupport
import Foundation
import Spectral
import Tensors
import Testing

/// `auto` on a large heavy-tailed matrix (Student-t entries, ν = 3, 1100 × 1024) takes the Gram
/// route, and every reported quantity equals the squared-singular-value route's (`dgesdd`, an
/// independent algorithm) to 10⁻⁶ relative, the tolerance of the comparison with WeightWatcher
/// (the certificate settles x_min and detX to 10⁻⁷). Counts are equal.
@Test func automaticRouteAgreesWithSingularValues() throws {
  var rng = SplittableRandom(seed: 21)
  let w = Tensor<Double>(shape: [1100, 1024]) { _ in
    // Student-t with 3 degrees of freedom: a normal over the root of a scaled χ²₃.
    let z = rng.nextNormal()
    let chi = (0..<3).reduce(0.0) { s, _ in
      let g = rng.nextNormal(); return s + g * g
    }
    return z / (chi / 3).squareRoot()
  }
  let fast = try LayerSpectrumAnalysis(name: "w", shape: [1100, 1024], matrices: [w])
  let exact = try LayerSpectrumAnalysis(
    name: "w", shape: [1100, 1024], matrices: [w], route: .singularValues)
  #expect(fast.spectrum == .gram)
  #expect(exact.spectrum == .singularValues)
  // 10⁻⁶, the comparison with WeightWatcher's tolerance: the certificate settles x_min and detX's
  // eigenvalue to 10⁻⁷ relative, and the sums over the tail follow.
  let pairs: [(String, Double?, Double?)] = [
    ("alpha", fast.alpha, exact.alpha), ("xMin", fast.xMin, exact.xMin),
    ("D", fast.ksDistance, exact.ksDistance),
    ("alphaSE", fast.alphaStandardError, exact.alphaStandardError),
    ("lambdaMax", fast.lambdaMax, exact.lambdaMax),
    ("stableRank", fast.stableRank, exact.stableRank),
    ("logNorm", fast.logFrobeniusNorm, exact.logFrobeniusNorm),
    ("alphaWeighted", fast.alphaWeighted, exact.alphaWeighted),
    ("logAlphaNorm", fast.logAlphaNorm, exact.logAlphaNorm),
    ("mpSigma", fast.marchenkoPasturSigma, exact.marchenkoPasturSigma),
    ("mpEdge", fast.marchenkoPasturEdge, exact.marchenkoPasturEdge),
    ("traceLog", fast.traceLog, exact.traceLog), ("detXValue", fast.detXValue, exact.detXValue),
  ]
  for (name, a, b) in pairs {
    let (a, b) = (try #require(a, "\(name)"), try #require(b, "\(name)"))
    #expect(isApproximatelyEqual(a, b, relative: 1e-6), "\(name): \(a) vs \(b)")
  }
  #expect(fast.tailCount == exact.tailCount)
  #expect(fast.spikes == exact.spikes)
  #expect(fast.detXCount == exact.detXCount)
}

/// A matrix with one eigenvalue of 10⁸ above a bulk in [1, 4]: the Gram error bound
/// (ε·k·Σλ ≈ 2·10⁻⁵) is above 10⁻⁷ of any x_min the fit can choose in the bulk, so `auto`
/// falls back to the singular values, whose bulk is exact; `gram` keeps the Gram eigenvalues,
/// as asked; a small matrix never takes the Gram route under `auto`.
@Test func automaticRouteFallsBackWhenTheFitIsUnsettled() throws {
  let n = 1024
  let singular = (0..<n).map { i -> Double in i == 0 ? 1e4 : 1 + Double(i) / Double(n) }
  let w = Tensor<Double>(shape: [n, n]) { k in k / n == k % n ? singular[k / n] : 0 }
  let automatic = try LayerSpectrumAnalysis(name: "d", shape: [n, n], matrices: [w])
  #expect(automatic.spectrum == .singularValues)
  let xMin = try #require(automatic.xMin)
  #expect(xMin >= 1 && xMin <= 4)
  let exact = singular.map { $0 * $0 }.sorted()
  for (a, b) in zip(automatic.eigenvalues, exact) { #expect(abs(a - b) <= 1e-12 * b) }
  let gram = try LayerSpectrumAnalysis(name: "d", shape: [n, n], matrices: [w], route: .gram)
  #expect(gram.spectrum == .gram)
  let small = try LayerSpectrumAnalysis(
    name: "s", shape: [64, 64], matrices: [Tensor(shape: [64, 64]) { Double($0 % 7) }])
  #expect(small.spectrum == .singularValues)
}

/// The Gram route's blocks shared by three threads give the same bits as one thread (every
/// block is the same BLAS call, whoever runs it): 1100 × 1030, three blocks of columns. Under
/// the exclusive lock, so that a test changing the process's BLAS thread count (or probing
/// whether two threads reproduce one) cannot do so between or during the two runs.
@Test func gramRouteDoesNotDependOnThreads() throws {
  try withExclusiveLinearAlgebra {
    var rng = SplittableRandom(seed: 5)
    let w = Tensor<Double>.randomNormal([1100, 1030], using: &rng)
    let one = try LayerSpectrumAnalysis(
      name: "w", shape: [1100, 1030], matrices: [w], route: .gram, jobs: 1)
    let three = try LayerSpectrumAnalysis(
      name: "w", shape: [1100, 1030], matrices: [w], route: .gram, jobs: 3)
    #expect(one.eigenvalues == three.eigenvalues)
    #expect(one.alpha == three.alpha && one.detXValue == three.detXValue)
  }
}

import CritTestSupport
import Experiments
import Foundation
import NN
import Tensors
import Testing
import Trainability

/// The hand-written gradients of the trainability network against central differences of its
/// loss (relative error < 1e-6; smooth activations, double precision).
@Test(arguments: [Activation.tanh, .identity])
func trainabilityGradientsMatchFiniteDifferences(activation: Activation) {
  let problem = TrainabilityProblem(inputs: 4, width: 3, points: 9, activation: activation, seed: 2)
  let (_, g0, g1) = problem.lossAndGradients(w0: problem.w0, w1: problem.w1)
  // Central differences of the loss in each weight of W₀, then of W₁.
  let h = 1e-6
  func difference(_ weights: [Double], _ loss: ([Double]) -> Double) -> [Double] {
    weights.indices.map { k in
      var plus = weights
      var minus = weights
      plus[k] += h
      minus[k] -= h
      return (loss(plus) - loss(minus)) / (2 * h)
    }
  }
  let numeric =
    difference(problem.w0) { problem.loss(w0: $0, w1: problem.w1) }
    + difference(problem.w1) { problem.loss(w0: problem.w0, w1: $0) }
  let analytic = g0 + g1
  let difference = zip(numeric, analytic).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
  let norm = analytic.map { $0 * $0 }.reduce(0, +).squareRoot()
  #expect(difference / norm < 1e-6, "relative error \(difference / norm)")
}

/// The kernel's tanh against the C library's over 10⁶ arguments spread log-uniformly over
/// 10⁻¹² ≤ |x| ≤ 40 (both signs) and uniformly over [−3, 3]: at most 4 ulp apart (ours is
/// within 3 ulp of the exact tanh by its construction and a check against long double, the C
/// library's within 1), and exact where tanh is: ±1 beyond 20, x itself for tiny x, NaN for NaN.
@Test func trainabilityTanhIsAccurate() {
  func ulps(_ a: Double, _ b: Double) -> Int64 {
    func ordered(_ x: Double) -> Int64 {
      let bits = Int64(bitPattern: x.bitPattern)
      return bits < 0 ? Int64.min - bits : bits
    }
    let (p, q) = (ordered(a), ordered(b))
    return p > q ? p - q : q - p
  }
  var rng = SplittableRandom(seed: 7)
  var worst: (ulps: Int64, x: Double) = (0, 0)
  for k in 0..<1_000_000 {
    let x: Double
    if k % 3 == 0 {
      x = 6 * (rng.nextUniform() - 0.5)
    } else {
      let magnitude = Foundation.exp(
        Foundation.log(1e-12) + rng.nextUniform() * Foundation.log(40 / 1e-12))
      x = k % 2 == 0 ? magnitude : -magnitude
    }
    let distance = ulps(trainabilityTanh(x), Foundation.tanh(x))
    if distance > worst.ulps { worst = (distance, x) }
  }
  #expect(worst.ulps <= 4, "tanh is \(worst.ulps) ulp from the C library's at x = \(worst.x)")
  #expect(trainabilityTanh(.nan).isNaN)
  #expect(trainabilityTanh(25) == 1 && trainabilityTanh(-25) == -1)
  #expect(trainabilityTanh(.infinity) == 1 && trainabilityTanh(-.infinity) == -1)
  #expect(trainabilityTanh(1e-300) == 1e-300 && trainabilityTanh(-1e-300) == -1e-300)
}

/// The measure: the mean of the last 20 normalised losses, non-finite ones counting as 10⁶.
@Test func trainabilityMeasureRule() {
  #expect(TrainabilityMeasure.measure(normalizedLosses: Array(repeating: 0.5, count: 30)) == 0.5)
  let late = Array(repeating: 0.5, count: 29) + [Double.nan]
  #expect(TrainabilityMeasure.measure(normalizedLosses: late) == (19 * 0.5 + 1e6) / 20)
  #expect(!TrainabilityMeasure.converged(TrainabilityMeasure.measure(normalizedLosses: late)))
  #expect(TrainabilityMeasure.converged(0.999) && !TrainabilityMeasure.converged(1))
}

/// The batched trainer reproduces the straightforward one pixel by pixel, bit for bit (the
/// same arithmetic in the same order), on a 10 × 10 grid of the wide view [−3, 6]² and of a
/// narrower view around the boundary, for tanh, ReLU and identity networks (100 steps of a
/// smaller network: 8 inputs, width 8, 72 points, to keep the straightforward side fast).
@Test(arguments: [Activation.tanh, .relu, .identity])
func batchedTrainabilityEqualsStraightforwardTraining(activation: Activation) {
  let problem = TrainabilityProblem(inputs: 8, width: 8, activation: activation, seed: 1)
  let trainer = BatchedTrainability(problem: problem, steps: 100)
  for (centre, width) in [((1.5, 1.5), 9.0), ((0.5, 1.0), 1.0)] {
    let rates = learningRateGrid(centre: centre, width: width, resolution: 10)
    let batched = trainer.measures(rates, threads: 2)
    var classes = (converged: 0, diverged: 0)
    for (k, rate) in rates.enumerated() {
      let reference = TrainabilityMeasure.measure(
        normalizedLosses: trainPixel(problem, learningRates: rate, steps: 100))
      #expect(
        batched[k] == reference || (batched[k].isNaN && reference.isNaN),
        "\(activation) pixel \(k): batched \(batched[k]), straightforward \(reference)")
      if TrainabilityMeasure.converged(reference) {
        classes.converged += 1
      } else {
        classes.diverged += 1
      }
    }
    if width > 5 {
      // The wide view holds both classes (the test compares something).
      #expect(classes.converged > 0 && classes.diverged > 0, "\(activation): \(classes)")
    }
  }
}

/// Early exit of diverged members never changes a measure (and so never a class), and the
/// measures do not depend on the number of threads: a 24 × 24 wide view of the full-size
/// network, where many pixels diverge.
@Test func earlyExitAndThreadsChangeNoMeasure() {
  let trainer = BatchedTrainability(problem: TrainabilityProblem(seed: 3), steps: 60)
  let rates = learningRateGrid(centre: (1.5, 1.5), width: 9, resolution: 24)
  let fast = trainer.measures(rates, threads: 2, earlyExit: true)
  let full = trainer.measures(rates, threads: 1, earlyExit: false)
  #expect(zip(fast, full).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
  let diverged = full.filter { !TrainabilityMeasure.converged($0) }.count
  #expect(diverged > 50 && diverged < rates.count - 50, "\(diverged) of \(rates.count) diverged")
}

/// Every variant, as `crit run trainability` builds it, against the straightforward trainer
/// (``trainPixel(_:member:steps:schedule:batch:spectral:)``: one network at a time, its own
/// loops, no early exit): per-pixel measures equal bit for bit — so classes are equal — on a
/// 32² grid at three views: the wide view and two frames of a zoom toward a boundary point
/// (widths 9, 0.3 and 0.01 decades; see ``compareWithStraightforward``). A smaller
/// network (d = n = 8, N = 72) and 60 steps keep the straightforward side within seconds;
/// `crit bench trainability --check` runs the same comparison at full size.
@Test(arguments: trainabilityCheckSetups(steps: 60))
func everyVariantEqualsStraightforwardTraining(setup: TrainabilitySetup) {
  let summary = compareWithStraightforward(
    setup,
    problem: TrainabilityProblem(
      inputs: 8, width: 8, points: setup.variant == .singlePoint ? 1 : nil,
      activation: setup.activation, seed: setup.seed),
    resolution: 32, threads: 2)
  #expect(summary.views.count == 3, "\(setup.name): the zoom lost the boundary")
  #expect(summary.mismatches.isEmpty, "\(setup.name): \(summary.mismatches.prefix(5))")
  // The wide view holds both classes, so the comparison covers both.
  #expect(summary.converged[0] > 0 && summary.converged[0] < 32 * 32, "\(setup.name)")
}

/// The spectral gradients both trainers use, against central differences of the loss as a
/// function of W₀ (σ_max by 300 steps of power iteration, converged to rounding for this
/// matrix): the penalty λ(σ − τ)² has gradient 2λ(σ − τ)uvᵀ, and spectral normalisation
/// W̃ = τW/σ has ∂L/∂W = (τ/σ)(G − ⟨G, W̃⟩/τ · uvᵀ) with G = ∂L/∂W̃. Relative error < 1e-6
/// (differences of a smooth function with step 1e-6 in double precision).
@Test func spectralGradientsMatchFiniteDifferences() {
  let problem = TrainabilityProblem(inputs: 4, width: 3, points: 9, seed: 5)
  let (d, n) = (problem.inputs, problem.width)
  // σ_max and its singular vectors by power iteration.
  func top(_ w: [Double]) -> (sigma: Double, u: [Double], v: [Double]) {
    var u = [Double](repeating: 1 / Double(d).squareRoot(), count: d)
    var v = [Double](repeating: 0, count: n)
    for _ in 0..<300 {
      v = (0..<n).map { j in (0..<d).reduce(0.0) { $0 + w[$1 * n + j] * u[$1] } }
      let vn = v.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
      v = v.map { $0 / vn }
      u = (0..<d).map { i in (0..<n).reduce(0.0) { $0 + w[i * n + $1] * v[$1] } }
      let un = u.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
      u = u.map { $0 / un }
    }
    let sigma = (0..<d).reduce(0.0) { total, i in
      total + u[i] * (0..<n).reduce(0.0) { $0 + w[i * n + $1] * v[$1] }
    }
    return (sigma, u, v)
  }
  let (lambda, tau) = (0.3, 0.8)
  func penalised(_ w: [Double]) -> Double {
    let s = top(w).sigma
    return problem.loss(w0: w, w1: problem.w1) + lambda * (s - tau) * (s - tau)
  }
  func normalised(_ w: [Double]) -> Double {
    let s = top(w).sigma
    return problem.loss(w0: w.map { tau * $0 / s }, w1: problem.w1)
  }
  let w = problem.w0
  let (sigma, u, v) = top(w)
  // Analytic gradients.
  let plain = problem.lossAndGradients(w0: w, w1: problem.w1).w0
  let penaltyGradient = (0..<(d * n)).map { k in
    plain[k] + 2 * lambda * (sigma - tau) * u[k / n] * v[k % n]
  }
  let scaled = w.map { tau * $0 / sigma }
  let g = problem.lossAndGradients(w0: scaled, w1: problem.w1).w0
  let c = zip(g, scaled).reduce(0.0) { $0 + $1.0 * $1.1 } / tau
  let normalisedGradient = (0..<(d * n)).map { k in
    tau / sigma * (g[k] - c * u[k / n] * v[k % n])
  }
  for (name, f, analytic) in [
    ("penalty", penalised as ([Double]) -> Double, penaltyGradient),
    ("normalisation", normalised, normalisedGradient),
  ] {
    let numeric = w.indices.map { k -> Double in
      var plus = w
      var minus = w
      plus[k] += 1e-6
      minus[k] -= 1e-6
      return (f(plus) - f(minus)) / 2e-6
    }
    let error = zip(numeric, analytic).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    let norm = analytic.map { $0 * $0 }.reduce(0, +).squareRoot()
    #expect(error / norm < 1e-6, "\(name): relative error \(error / norm)")
  }
}

/// Single precision trains the same image: on the 32² wide view (300 steps) at least 99 % of
/// the pixels have the float64 class (rounding differs, and near the boundary training is
/// chaotic, so a few pixels may flip; on this view at 1000 steps none did), and it is not
/// simply a copy of the float64 measures.
@Test func singlePrecisionKeepsTheClasses() {
  let rates = learningRateGrid(centre: (1.5, 1.5), width: 9, resolution: 32)
  let problem = TrainabilityProblem(seed: 0)
  let double = BatchedTrainability(problem: problem, steps: 300).measures(rates, threads: 2)
  let single = BatchedTrainability(problem: problem, steps: 300, precision: .float32).measures(
    rates, threads: 2)
  let agree = zip(double, single).filter {
    TrainabilityMeasure.converged($0) == TrainabilityMeasure.converged($1)
  }.count
  #expect(Double(agree) >= 0.99 * Double(rates.count), "\(agree) of \(rates.count) agree")
  #expect(zip(double, single).contains { $0.isFinite && $1.isFinite && $0 != $1 })
}

/// Zoom targets on a 32² class image converged left of column 24 (a straight border 7.5 pixels
/// right of the centre) with one diverged speck at the centre: `nearest` takes a pixel of the
/// speck or next to it, and `balanced` a pixel of the straight border.
@Test func zoomTargetsPreferTheBorderOverSpecks() {
  let r = 32
  var measures = (0..<(r * r)).map { k in k % r < 24 ? 0.5 : 2.0 }
  // A diverged speck in the converged region, at the centre (15.5, 15.5).
  measures[15 * r + 15] = 2.0
  let frame = TrainabilityFrame(
    setup: TrainabilitySetup(), view: .wide, resolution: r, measures: measures)
  let nearest = frame.boundaryPixelNearestCentre!
  let balanced = frame.balancedBoundaryPixel!
  #expect(abs(nearest.row - 15) <= 1 && abs(nearest.column - 15) <= 1, "\(nearest)")
  #expect(balanced.column == 23 || balanced.column == 24, "\(balanced)")
}

import CritTestSupport
import Data
import RealModule
import Tensors
import Testing

/// Noiseless moons: every point lies on its half circle, and the angles are exactly the
/// evenly spaced t = π·i/(n−1) (scikit-learn's `make_moons`), in shuffled order.
@Test(arguments: [1000, 7])
func noiselessMoonsLieOnHalfCirclesAtEvenAngles(count: Int) {
  var rng = SplittableRandom(seed: 3)
  let data = TwoDimensional.moons(count: count, noise: 0, using: &rng)
  var outerAngles: [Double] = []
  var innerAngles: [Double] = []
  for (i, label) in data.labels.enumerated() {
    let x = Double(data.inputs[i, 0])
    let y = Double(data.inputs[i, 1])
    // Float storage rounds coordinates to ~6e-8.
    if label == 0 {
      #expect(abs(x * x + y * y - 1) < 1e-6)
      #expect(y >= -1e-7)
      outerAngles.append(Double.atan2(y: max(y, 0), x: x))
    } else {
      let (u, v) = (1 - x, 1 - y - 0.5)  // back on the unit circle
      #expect(abs(u * u + v * v - 1) < 1e-6)
      #expect(v >= -1e-7)
      innerAngles.append(Double.atan2(y: max(v, 0), x: u))
    }
  }
  #expect(outerAngles.count == count / 2)
  #expect(innerAngles.count == count - count / 2)
  for angles in [outerAngles.sorted(), innerAngles.sorted()] {
    for (i, t) in angles.enumerated() {
      #expect(abs(t - Double.pi * Double(i) / Double(angles.count - 1)) < 1e-3 / Double(count))
    }
  }
  // Shuffled: the labels are not in two blocks.
  #expect(data.labels != data.labels.sorted())
}

/// Noisy moons: per-class sample mean and covariance against their analytic values,
/// mean = (1/n)Σ p(t_i) and covariance = Cov_t[p(t)] + σ²I over the evenly spaced angles.
/// Tolerances are five standard errors for n = 20 000 per class: the mean's SE is
/// √(λ/n) per axis, the covariance's SE is at most √(2/n)·(largest variance).
@Test func noisyMoonsMomentsMatchAnalyticValues() {
  let n = 40_000
  let sigma = 0.2
  var rng = SplittableRandom(seed: 4)
  let data = TwoDimensional.moons(count: n, noise: sigma, using: &rng)
  for label in 0..<2 {
    let half = n / 2
    let curve: [(Double, Double)] = (0..<half).map { i in
      let t = Double.pi * Double(i) / Double(half - 1)
      return label == 0
        ? (Double.cos(t), Double.sin(t)) : (1 - Double.cos(t), 1 - Double.sin(t) - 0.5)
    }
    let (ex, ey, cxx, cyy, cxy) = moments(curve)
    let points = data.labels.indices.filter { data.labels[$0] == label }.map {
      (Double(data.inputs[$0, 0]), Double(data.inputs[$0, 1]))
    }
    let (mx, my, sxx, syy, sxy) = moments(points)
    let vxx = cxx + sigma * sigma
    let vyy = cyy + sigma * sigma
    let m = Double(points.count)
    #expect(abs(mx - ex) < 5 * (vxx / m).squareRoot())
    #expect(abs(my - ey) < 5 * (vyy / m).squareRoot())
    let covarianceSE = (2 / m).squareRoot() * max(vxx, vyy)
    #expect(abs(sxx - vxx) < 5 * covarianceSE)
    #expect(abs(syy - vyy) < 5 * covarianceSE)
    #expect(abs(sxy - cxy) < 5 * covarianceSE)
  }
}

func moments(_ points: [(Double, Double)]) -> (Double, Double, Double, Double, Double) {
  let n = Double(points.count)
  let mx = points.reduce(0) { $0 + $1.0 } / n
  let my = points.reduce(0) { $0 + $1.1 } / n
  let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) } / n
  let syy = points.reduce(0) { $0 + ($1.1 - my) * ($1.1 - my) } / n
  let sxy = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / n
  return (mx, my, sxx, syy, sxy)
}

@Test func otherTwoDimensionalGenerators() {
  var rng = SplittableRandom(seed: 5)
  let circles = TwoDimensional.circles(count: 400, noise: 0, factor: 0.5, using: &rng)
  for (i, label) in circles.labels.enumerated() {
    let r =
      (Double(circles.inputs[i, 0]) * Double(circles.inputs[i, 0])
      + Double(circles.inputs[i, 1]) * Double(circles.inputs[i, 1])).squareRoot()
    #expect(abs(r - (label == 0 ? 1 : 0.5)) < 1e-6)
  }
  let xor = TwoDimensional.checkerboard(count: 500, noise: 0, cells: 2, using: &rng)
  for (i, label) in xor.labels.enumerated() {
    #expect(label == (xor.inputs[i, 0] * xor.inputs[i, 1] < 0 ? 1 : 0))
  }
  let spirals = TwoDimensional.spirals(count: 300, noise: 0, using: &rng)
  #expect(spirals.labels.filter { $0 == 1 }.count == 150)
  let blobs = TwoDimensional.blobs(count: 600, classes: 3, spread: 0.1, using: &rng)
  #expect(Set(blobs.labels) == [0, 1, 2])
  #expect(blobs.outputDimension == 3)
}

/// Teacher–student: y = He₃(w*·x) with w*·x ~ N(0, 1) has mean 0 and variance
/// E[He₃(z)²] = 3! = 6. With n = 50 000 the mean's SE is √(6/n) ≈ 0.011 (tolerance 5 SE);
/// for the variance, E[He₃⁴] = E[z¹²] − 12E[z¹⁰] + 54E[z⁸] − 108E[z⁶] + 81E[z⁴] = 3 348, so
/// Var[He₃²] = 3 312 and the SE is √(3312/n) ≈ 0.26 (tolerance 5 SE).
@Test func teacherStudentMomentsMatchHermiteOrthogonality() {
  var rng = SplittableRandom(seed: 6)
  let data = HighDimensional.teacherStudent(
    count: 50_000, dimension: 16, task: .regression, using: &rng)
  guard case .values(let y) = data.targets else {
    Issue.record("expected regression targets")
    return
  }
  let values = y.scalars.map(Double.init)
  let mean = values.reduce(0, +) / Double(values.count)
  let variance = values.reduce(0) { $0 + $1 * $1 } / Double(values.count) - mean * mean
  #expect(abs(mean) < 5 * (6.0 / 50_000).squareRoot())
  #expect(abs(variance - 6) < 5 * (3312.0 / 50_000).squareRoot())
  var rng2 = SplittableRandom(seed: 6)
  let labelled = HighDimensional.teacherStudent(
    count: 50_000, dimension: 16, task: .classification, using: &rng2)
  // Same stream, so the labels are the signs of the regression targets.
  #expect(labelled.labels == values.map { $0 > 0 ? 1 : 0 })
}

/// Power-law covariance: the sample variance of coordinate k is k^{−(1+α)} within five
/// standard errors (relative SE √(2/n), n = 20 000).
@Test func powerLawCovarianceSpectrum() {
  var rng = SplittableRandom(seed: 7)
  let data = HighDimensional.powerLawGaussian(
    count: 20_000, dimension: 8, alpha: 0.5, task: .classification, using: &rng)
  for k in 0..<8 {
    let column = (0..<data.count).map { Double(data.inputs[$0, k]) }
    let variance = column.reduce(0) { $0 + $1 * $1 } / Double(column.count)
    let expected = Double.pow(Double(k + 1), -1.5)
    #expect(abs(variance / expected - 1) < 5 * (2.0 / 20_000).squareRoot())
  }
}

@Test func splitIsAPartition() throws {
  let (train, test) = try DataConfiguration().load()
  #expect(train.count == 800)
  #expect(test.count == 200)
  let all = try DataConfiguration().makeDataset()
  let key = { (d: Dataset, i: Int) in "\(d.inputs[i, 0]),\(d.inputs[i, 1])" }
  let union = Set((0..<800).map { key(train, $0) } + (0..<200).map { key(test, $0) })
  #expect(union == Set((0..<1000).map { key(all, $0) }))
}

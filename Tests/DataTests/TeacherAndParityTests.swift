import Data
import Foundation
import Tensors
import Testing

/// Random-network teacher: given its weights (drawn first from the stream, hidden rows then the
/// readout, as documented), y = (1/√h) Σ a_j erf(u_j) with u = W x/√d jointly Gaussian, so
/// Var y = (1/h) Σ_ij a_i a_j (2/π) arcsin(2C_ij/√((1 + 2C_ii)(1 + 2C_jj))), C = W Wᵀ/d
/// (Williams 1997), and E y = 0 (erf is odd). With n = 40 000 the variance's relative SE is
/// about √(2/n) = 0.7 % for a near-Gaussian y (tolerance 5 %); the mean's SE is √(Var/n).
@Test func randomTeacherVarianceEqualsTheErfKernel() {
  let (d, h, n) = (12, 20, 40_000)
  var rng = SplittableRandom(seed: 11)
  let data = HighDimensional.randomNetworkTeacher(
    count: n, dimension: d, width: h, task: .regression, using: &rng)
  var replay = SplittableRandom(seed: 11)
  let w = (0..<h).map { _ in (0..<d).map { _ in replay.nextNormal() } }
  let a = (0..<h).map { _ in replay.nextNormal() }
  func c(_ i: Int, _ j: Int) -> Double {
    zip(w[i], w[j]).reduce(0) { $0 + $1.0 * $1.1 } / Double(d)
  }
  var exact = 0.0
  for i in 0..<h {
    for j in 0..<h {
      exact +=
        a[i] * a[j] * 2 / Double.pi
        * asin(2 * c(i, j) / ((1 + 2 * c(i, i)) * (1 + 2 * c(j, j))).squareRoot())
    }
  }
  exact /= Double(h)
  guard case .values(let y) = data.targets else {
    Issue.record("expected regression targets")
    return
  }
  let values = y.scalars.map(Double.init)
  let mean = values.reduce(0, +) / Double(n)
  let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
  #expect(abs(variance - exact) < 0.05 * exact, "\(variance) vs \(exact)")
  #expect(abs(mean) < 5 * (exact / Double(n)).squareRoot(), "\(mean)")
}

/// Sparse parity: inputs are ±1, every target is the product of the first k coordinates, the
/// classes are balanced within 5 SE (SE 0.5/√n), and no single coordinate predicts the label
/// (each correlation within 5 SE of 0, SE 1/√n).
@Test func sparseParityLabelsAreTheParityOfTheFirstBits() {
  let (d, k, n) = (10, 3, 20_000)
  var rng = SplittableRandom(seed: 5)
  let data = HighDimensional.sparseParity(
    count: n, dimension: d, bits: k, task: .classification, using: &rng)
  let x = (0..<n).map { i in (0..<d).map { Double(data.inputs[i, $0]) } }
  #expect(x.allSatisfy { row in row.allSatisfy { $0 == 1 || $0 == -1 } })
  let parity = x.map { $0.prefix(k).reduce(1, *) }
  #expect(data.labels == parity.map { $0 > 0 ? 1 : 0 })
  let positive = Double(parity.filter { $0 > 0 }.count) / Double(n)
  #expect(abs(positive - 0.5) < 5 * 0.5 / Double(n).squareRoot(), "\(positive)")
  for coordinate in 0..<d {
    let correlation = zip(x, parity).reduce(0) { $0 + $1.0[coordinate] * $1.1 } / Double(n)
    #expect(abs(correlation) < 5 / Double(n).squareRoot(), "x\(coordinate): \(correlation)")
  }
}

/// Both kinds load through a configuration, with their options, and keep the hash-relevant
/// encoding of every older configuration (the new keys are absent unless set).
@Test func newKindsLoadThroughTheConfiguration() throws {
  let parity = DataConfiguration(kind: .sparseParity, count: 200, dimension: 6, parityBits: 2)
  let (train, test) = try parity.load()
  #expect(train.count + test.count == 200 && train.inputDimension == 6)
  let teacher = DataConfiguration(kind: .randomTeacher, count: 100, dimension: 4, teacherWidth: 8)
  #expect(try teacher.load().train.inputDimension == 4)
  let json = String(decoding: try JSONEncoder().encode(DataConfiguration()), as: UTF8.self)
  #expect(!json.contains("parityBits") && !json.contains("teacherWidth"))
}

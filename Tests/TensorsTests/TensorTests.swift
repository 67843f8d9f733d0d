import CritTestSupport
import Tensors
import Testing

@Test func broadcastingFollowsNumPyRules() {
  #expect(broadcastShape([4, 1, 3], [5, 1]) == [4, 5, 3])
  #expect(broadcastShape([2, 3], [4, 3]) == nil)
  let a = Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6]])
  let column = Tensor<Double>(shape: [2, 1], scalars: [10, 20])
  #expect((a + column).scalars == [11, 12, 13, 24, 25, 26])
  let row = Tensor<Double>(shape: [3], scalars: [1, 0, -1])
  #expect((a * row).scalars == [1, 0, -3, 4, 0, -6])
  // General path: [2, 1, 3] with [2, 1] → [2, 2, 3].
  let cube = Tensor<Double>(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
  let c = cube + Tensor<Double>(shape: [2, 1], scalars: [100, 200])
  #expect(c.shape == [2, 2, 3])
  #expect(c.scalars == [101, 102, 103, 201, 202, 203, 104, 105, 106, 204, 205, 206])
  #expect(c.summed(toShape: [2, 1]).scalars == [1 + 2 + 3 + 4 + 5 + 6 + 600, 21 + 1200])
}

@Test func reductionsAndShapes() {
  let a = Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6]])
  #expect(a.sum() == 21)
  #expect(a.sum(alongAxis: 0).scalars == [5, 7, 9])
  #expect(a.sum(alongAxis: 1).scalars == [6, 15])
  #expect(a.transposed().scalars == [1, 4, 2, 5, 3, 6])
  #expect(a.slice(alongAxis: 1, 1..<3).scalars == [2, 3, 5, 6])
  #expect(
    Tensor.concatenate([a, a.slice(alongAxis: 0, 0..<1)], alongAxis: 0).scalars == [
      1, 2, 3, 4, 5, 6, 1, 2, 3,
    ])
  #expect(a.gatherRows([1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
  #expect(a.argmaxRows() == [2, 2])
}

/// Reference outputs of SplitMix64 with seed 0 (the first values of Vigna's reference
/// `splitmix64.c`, which bench/splitmix64_reference.py recomputes independently).
@Test func splitMixMatchesReference() {
  var rng = SplittableRandom(seed: 0)
  #expect(rng.next() == 0xe220_a839_7b1d_cdaf)
  #expect(rng.next() == 0x6e78_9e6a_a1b9_65f4)
  #expect(rng.next() == 0x06c4_5d18_8009_454f)
}

@Test func streamsAreReproducibleAndIndependent() {
  var a = SplittableRandom(seed: 42)
  var b = SplittableRandom(seed: 42)
  #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
  var parent = SplittableRandom(seed: 42)
  var child = parent.split()
  #expect((0..<10).map { _ in parent.next() } != (0..<10).map { _ in child.next() })
  let root = SplittableRandom(seed: 1)
  var x = root.derived("init")
  var y = root.derived("init")
  var z = root.derived("shuffle")
  let first = x.next()
  #expect(first == y.next())
  #expect(first != z.next())
}

/// Moments of the uniform and normal samplers, within five standard errors (n = 10⁵):
/// uniform mean 1/2 (SE 0.0009), normal mean 0 (SE 0.0032) and variance 1 (SE 0.0045).
@Test func samplerMoments() {
  var rng = SplittableRandom(seed: 5)
  let n = 100_000
  let u = (0..<n).map { _ in rng.nextUniform() }
  #expect(abs(u.reduce(0, +) / Double(n) - 0.5) < 5 * (1.0 / 12 / Double(n)).squareRoot())
  let z = (0..<n).map { _ in rng.nextNormal() }
  let mean = z.reduce(0, +) / Double(n)
  let variance = z.reduce(0) { $0 + $1 * $1 } / Double(n) - mean * mean
  #expect(abs(mean) < 5 / Double(n).squareRoot())
  #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
  // Bounded integers: every value of 0..<7 appears with frequency 1/7 ± 5 SE.
  var counts = [Int](repeating: 0, count: 7)
  for _ in 0..<n { counts[rng.nextInt(below: 7)] += 1 }
  let p = 1.0 / 7
  for c in counts {
    #expect(abs(Double(c) / Double(n) - p) < 5 * (p * (1 - p) / Double(n)).squareRoot())
  }
  #expect(rng.permutation(50).sorted() == Array(0..<50))
}

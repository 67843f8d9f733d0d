import RealModule
import Tensors

/// Generated two-dimensional classification problems. Every generator draws only from the
/// `rng` it is given, in a documented order, so a seed fixes the data set.
public enum TwoDimensional {
  /// Two interleaving half circles, the distribution of scikit-learn's `make_moons`:
  /// ```
  /// outer (label 0): (cos t, sin t),            t = π·i/(n₀ − 1), i = 0…n₀−1
  /// inner (label 1): (1 − cos t, 1 − sin t − ½), t = π·i/(n₁ − 1)
  /// ```
  /// with `n₀ = ⌊n/2⌋`, `n₁ = n − n₀`; the points are shuffled, then Gaussian noise of
  /// standard deviation `noise` is added to each coordinate.
  public static func moons(
    count: Int, noise: Double, using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    let outer = count / 2
    let inner = count - outer
    var points: [(Double, Double, Int)] = []
    for i in 0..<outer {
      let t = outer > 1 ? Double.pi * Double(i) / Double(outer - 1) : 0
      points.append((Double.cos(t), Double.sin(t), 0))
    }
    for i in 0..<inner {
      let t = inner > 1 ? Double.pi * Double(i) / Double(inner - 1) : 0
      points.append((1 - Double.cos(t), 1 - Double.sin(t) - 0.5, 1))
    }
    return finish(points, classes: 2, noise: noise, using: &rng)
  }

  /// Two concentric circles (scikit-learn's `make_circles`): the outer of radius 1 (label 0)
  /// and the inner of radius `factor` (label 1), angles evenly spaced over [0, 2π) without
  /// the end point, shuffled, plus Gaussian noise.
  public static func circles(
    count: Int, noise: Double, factor: Double = 0.5, using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    let outer = count / 2
    let inner = count - outer
    var points: [(Double, Double, Int)] = []
    for i in 0..<outer {
      let t = 2 * Double.pi * Double(i) / Double(outer)
      points.append((Double.cos(t), Double.sin(t), 0))
    }
    for i in 0..<inner {
      let t = 2 * Double.pi * Double(i) / Double(inner)
      points.append((factor * Double.cos(t), factor * Double.sin(t), 1))
    }
    return finish(points, classes: 2, noise: noise, using: &rng)
  }

  /// Two interleaved Archimedean spirals: arm `k ∈ {0, 1}` has points
  /// `r(cos(θ + kπ), sin(θ + kπ))` with `r = s`, `θ = 2π·turns·s`, and `s` evenly spaced over
  /// [0.1, 1]; shuffled, plus Gaussian noise.
  public static func spirals(
    count: Int, noise: Double, turns: Double = 1.5, using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    var points: [(Double, Double, Int)] = []
    let perArm = [count / 2, count - count / 2]
    for arm in 0..<2 {
      let n = perArm[arm]
      for i in 0..<n {
        let s = 0.1 + 0.9 * (n > 1 ? Double(i) / Double(n - 1) : 0)
        let theta = 2 * Double.pi * turns * s + Double(arm) * Double.pi
        points.append((s * Double.cos(theta), s * Double.sin(theta), arm))
      }
    }
    return finish(points, classes: 2, noise: noise, using: &rng)
  }

  /// XOR / checkerboard: points uniform on [−1, 1]², labelled by the parity of the cell of a
  /// `cells × cells` grid they fall in (`cells = 2` is XOR: label 1 where `x·y < 0`), plus
  /// Gaussian noise added after labelling.
  public static func checkerboard(
    count: Int, noise: Double, cells: Int = 2, using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    var points: [(Double, Double, Int)] = []
    for _ in 0..<count {
      let x = 2 * rng.nextUniform() - 1
      let y = 2 * rng.nextUniform() - 1
      let cx = min(Int((x + 1) / 2 * Double(cells)), cells - 1)
      let cy = min(Int((y + 1) / 2 * Double(cells)), cells - 1)
      points.append((x, y, (cx + cy) % 2))
    }
    return finish(points, classes: 2, noise: noise, shuffle: false, using: &rng)
  }

  /// Gaussian blobs (scikit-learn's `make_blobs`): `classes` centres uniform in [−10, 10]²,
  /// examples assigned to classes in turn, each `centre + N(0, spread²·I)`, shuffled.
  public static func blobs(
    count: Int, classes: Int, spread: Double = 1, using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    let centres = (0..<classes).map { _ in
      (20 * rng.nextUniform() - 10, 20 * rng.nextUniform() - 10)
    }
    let points = (0..<count).map { i in
      (centres[i % classes].0, centres[i % classes].1, i % classes)
    }
    return finish(points, classes: classes, noise: spread, using: &rng)
  }

  /// Shuffles (optionally), adds N(0, noise²) to each coordinate, and packs a data set.
  /// Order of draws: the permutation first, then two normals per point in output order.
  static func finish(
    _ points: [(Double, Double, Int)], classes: Int, noise: Double, shuffle: Bool = true,
    using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    let order = shuffle ? rng.permutation(points.count) : Array(points.indices)
    var scalars: [Float] = []
    scalars.reserveCapacity(2 * points.count)
    var labels: [Int] = []
    labels.reserveCapacity(points.count)
    for index in order {
      let (x, y, label) = points[index]
      let nx = noise > 0 ? noise * rng.nextNormal() : 0
      let ny = noise > 0 ? noise * rng.nextNormal() : 0
      scalars.append(Float(x + nx))
      scalars.append(Float(y + ny))
      labels.append(label)
    }
    return Dataset(
      inputs: Tensor(shape: [points.count, 2], scalars: scalars),
      targets: .classes(labels: labels, count: classes))
  }
}

import RealModule
import Tensors

/// Whether a generated high-dimensional task is posed as classification or regression.
public enum TaskKind: String, CaseIterable, Codable, Sendable {
  /// Two classes: label 1 where the teacher's output is positive.
  case classification
  /// The teacher's output itself, fitted by mean squared error.
  case regression
}

/// Generated high-dimensional tasks.
public enum HighDimensional {
  /// Probabilists' Hermite polynomial `He₃(z) = z³ − 3z`.
  @inlinable
  public static func hermite3(_ z: Double) -> Double { z * z * z - 3 * z }

  /// A unit vector uniform on the sphere: the first `dimension` normals of `rng`, normalised.
  public static func unitVector(dimension: Int, using rng: inout some RandomNumberGenerator)
    -> [Double]
  {
    let vector = (0..<dimension).map { _ in rng.nextNormal() }
    let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return vector.map { $0 / length }
  }

  /// Teacher–student single-index task: `x ~ N(0, I_d)`, `y = He₃(w*·x)` with `w*` a unit
  /// vector drawn uniformly on the sphere (the first `d` normals of `rng`, normalised);
  /// classification labels are `1[y > 0]`.
  public static func teacherStudent(
    count: Int, dimension: Int, task: TaskKind, using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    let teacher = unitVector(dimension: dimension, using: &rng)
    return make(count: count, dimension: dimension, task: task, scales: nil, using: &rng) {
      hermite3(zip($0, teacher).reduce(0) { $0 + $1.0 * $1.1 })
    }
  }

  /// Gaussian inputs with a power-law covariance spectrum: `x_k = √λ_k · z_k`,
  /// `λ_k = k^{−(1+α)}` (k = 1…d, axis-aligned), and a linear teacher `y = w·x/√d` with
  /// `w ~ N(0, I_d)` (drawn first); classification labels are `1[y > 0]`.
  public static func powerLawGaussian(
    count: Int, dimension: Int, alpha: Double, task: TaskKind,
    using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    let teacher = (0..<dimension).map { _ in rng.nextNormal() }
    let scales = (1...max(dimension, 1)).map { Double.pow(Double($0), -(1 + alpha) / 2) }
    let norm = Double(dimension).squareRoot()
    return make(count: count, dimension: dimension, task: task, scales: scales, using: &rng) {
      zip($0, teacher).reduce(0) { $0 + $1.0 * $1.1 } / norm
    }
  }

  /// Random-network teacher: `x ~ N(0, I_d)` and `y = (1/√h) Σ_j a_j erf(w_j·x/√d)`, a
  /// one-hidden-layer erf network of width h with `w_j ~ N(0, I_d)` and `a_j ~ N(0, 1)` (drawn
  /// first, row by row); the scaling keeps `Var y` of order 1 for any d and h (the NNGP
  /// parameterisation). Classification labels are `1[y > 0]`.
  public static func randomNetworkTeacher(
    count: Int, dimension: Int, width: Int, task: TaskKind,
    using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    let hidden = (0..<width).map { _ in (0..<dimension).map { _ in rng.nextNormal() } }
    let readout = (0..<width).map { _ in rng.nextNormal() }
    let (inputScale, outputScale) = (
      1 / Double(max(dimension, 1)).squareRoot(), 1 / Double(max(width, 1)).squareRoot()
    )
    return make(count: count, dimension: dimension, task: task, scales: nil, using: &rng) { x in
      var y = 0.0
      for (w, a) in zip(hidden, readout) {
        y += a * Double.erf(zip(w, x).reduce(0) { $0 + $1.0 * $1.1 } * inputScale)
      }
      return y * outputScale
    }
  }

  /// Sparse parity: `x` uniform on {−1, +1}^d and `y = x₁ x₂ ⋯ x_k`, the parity of the first
  /// k coordinates (which k of them is immaterial to a network that treats inputs alike);
  /// classification labels are `1[y > 0]`, regression targets ±1. Learning it takes of order
  /// d^k samples for kernels and fewer for networks that learn features (Barak et al. 2022).
  public static func sparseParity(
    count: Int, dimension: Int, bits: Int, task: TaskKind,
    using rng: inout some RandomNumberGenerator
  ) -> Dataset {
    var inputs: [Float] = []
    inputs.reserveCapacity(count * dimension)
    var outputs: [Double] = []
    for _ in 0..<count {
      let x = (0..<dimension).map { _ in rng.next() & 1 == 0 ? -1.0 : 1.0 }
      inputs.append(contentsOf: x.map { Float($0) })
      outputs.append(x.prefix(bits).reduce(1, *))
    }
    return labelled(Tensor(shape: [count, dimension], scalars: inputs), outputs, task: task)
  }

  static func make(
    count: Int, dimension: Int, task: TaskKind, scales: [Double]?,
    using rng: inout some RandomNumberGenerator, teacher: ([Double]) -> Double
  ) -> Dataset {
    var inputs: [Float] = []
    inputs.reserveCapacity(count * dimension)
    var outputs: [Double] = []
    for _ in 0..<count {
      let x = (0..<dimension).map { k in rng.nextNormal() * (scales?[k] ?? 1) }
      inputs.append(contentsOf: x.map { Float($0) })
      outputs.append(teacher(x))
    }
    return labelled(Tensor(shape: [count, dimension], scalars: inputs), outputs, task: task)
  }

  /// Classes `1[y > 0]` or the values themselves.
  static func labelled(_ tensor: Tensor<Float>, _ outputs: [Double], task: TaskKind) -> Dataset {
    let count = outputs.count
    switch task {
    case .classification:
      return Dataset(
        inputs: tensor, targets: .classes(labels: outputs.map { $0 > 0 ? 1 : 0 }, count: 2))
    case .regression:
      return Dataset(
        inputs: tensor,
        targets: .values(Tensor(shape: [count, 1], scalars: outputs.map { Float($0) })))
    }
  }
}

import RealModule

/// The project's one random number generator: seedable, splittable, and identical on every
/// platform and thread count.
///
/// The algorithm is SplitMix64 with per-stream gammas (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014):
/// ```
/// state ← state + γ;   output = mix64(state)
/// split():  child = (mix64(next state), mixGamma(next state))
/// ```
/// Use ``split()`` to hand an independent stream to a parallel task, and
/// ``derived(_:)`` to name a stream by purpose ("init", "shuffle", "data") so that adding a
/// consumer never shifts the numbers another consumer sees.
public struct SplittableRandom: RandomNumberGenerator, Sendable, Hashable {
  /// The odd increment of the root stream: 2⁶⁴/φ.
  public static let goldenGamma: UInt64 = 0x9e37_79b9_7f4a_7c15

  @usableFromInline var state: UInt64
  @usableFromInline let gamma: UInt64

  /// A generator whose whole output is fixed by `seed`.
  public init(seed: UInt64) {
    self.state = seed
    self.gamma = Self.goldenGamma
  }

  init(state: UInt64, gamma: UInt64) {
    self.state = state
    self.gamma = gamma
  }

  /// Next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= gamma
    return Self.mix64(state)
  }

  /// A new generator statistically independent of this one; advances this one.
  public mutating func split() -> SplittableRandom {
    state &+= gamma
    let childState = Self.mix64(state)
    state &+= gamma
    let childGamma = Self.mixGamma(state)
    return SplittableRandom(state: childState, gamma: childGamma)
  }

  /// A child stream named by `label`, without advancing this generator: the same parent
  /// and label always give the same stream.
  public func derived(_ label: String) -> SplittableRandom {
    // FNV-1a over the label's UTF-8 bytes, then mixed with the parent's state.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in label.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return SplittableRandom(
      state: Self.mix64(state ^ Self.mix64(hash)), gamma: Self.mixGamma(hash &+ state &+ gamma))
  }

  /// A child stream numbered by `index` (e.g. one per seed of a multi-seed run).
  public func derived(_ index: Int) -> SplittableRandom { derived("#\(index)") }

  /// Stafford's "variant 13" finaliser.
  @inlinable
  static func mix64(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// An odd gamma with enough bit transitions (murmur3 finaliser, forced odd).
  static func mixGamma(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 33)) &* 0xff51_afd7_ed55_8ccd
    z = (z ^ (z >> 33)) &* 0xc4ce_b9fe_1a85_ec53
    z = (z ^ (z >> 33)) | 1
    let transitions = (z ^ (z >> 1)).nonzeroBitCount
    return transitions < 24 ? z ^ 0xaaaa_aaaa_aaaa_aaaa : z
  }
}

extension RandomNumberGenerator {
  /// Uniform on [0, 1) with 53 random bits.
  @inlinable
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Standard normal by the Box–Muller transform (two uniforms per value, no cached state,
  /// so the stream position is a pure function of how many values were drawn).
  @inlinable
  public mutating func nextNormal() -> Double {
    let u1 = 1 - nextUniform()  // (0, 1]: log is finite
    let u2 = nextUniform()
    return (-2 * Foundation_log(u1)).squareRoot() * Foundation_cos(2 * Double.pi * u2)
  }

  /// Uniform integer in `0..<bound` without modulo bias (Lemire's multiply-shift with
  /// rejection). Fixed here rather than borrowed from the standard library, whose algorithm
  /// is not promised to stay the same between releases.
  @inlinable
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive, got \(bound)")
    let b = UInt64(bound)
    var product = next().multipliedFullWidth(by: b)
    if product.low < b {
      let threshold = (0 &- b) % b
      while product.low < threshold { product = next().multipliedFullWidth(by: b) }
    }
    return Int(product.high)
  }

  /// A uniformly random permutation of `0..<n` (Fisher–Yates).
  @inlinable
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    shuffle(&p)
    return p
  }

  /// Shuffles `array` in place (Fisher–Yates, from the last element down).
  @inlinable
  public mutating func shuffle<T>(_ array: inout [T]) {
    if array.count < 2 { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      array.swapAt(i, nextInt(below: i + 1))
    }
  }
}

@usableFromInline func Foundation_log(_ x: Double) -> Double { Double.log(x) }
@usableFromInline func Foundation_cos(_ x: Double) -> Double { Double.cos(x) }

extension Tensor {
  /// I.i.d. normal entries with the given mean and standard deviation (drawn in Double,
  /// rounded to `Scalar`).
  public static func randomNormal(
    _ shape: [Int], mean: Double = 0, standardDeviation: Double = 1,
    using rng: inout some RandomNumberGenerator
  ) -> Tensor {
    var values = [Scalar]()
    values.reserveCapacity(shape.reduce(1, *))
    for _ in 0..<shape.reduce(1, *) {
      values.append(Scalar(mean + standardDeviation * rng.nextNormal()))
    }
    return Tensor(shape: shape, scalars: values)
  }

  /// I.i.d. uniform entries on `[low, high)`.
  public static func randomUniform(
    _ shape: [Int], low: Double = 0, high: Double = 1,
    using rng: inout some RandomNumberGenerator
  ) -> Tensor {
    var values = [Scalar]()
    values.reserveCapacity(shape.reduce(1, *))
    for _ in 0..<shape.reduce(1, *) {
      values.append(Scalar(low + (high - low) * rng.nextUniform()))
    }
    return Tensor(shape: shape, scalars: values)
  }
}

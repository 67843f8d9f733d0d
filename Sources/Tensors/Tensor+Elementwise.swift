/// Elementwise maps and in-place updates. Loops run over raw buffers so that, once
/// specialized for `Float` or `Double`, they vectorize.
extension Tensor {
  /// `f` applied to every element.
  @inlinable
  public func map(_ f: (Scalar) -> Scalar) -> Tensor {
    withUnsafeBufferPointer { x in
      Tensor(shape: shape, generating: { f(x[$0]) })
    }
  }

  /// `f(self[i], other[i])` for tensors of identical shape.
  @inlinable
  public func zipMap(_ other: Tensor, _ f: (Scalar, Scalar) -> Scalar) -> Tensor {
    precondition(shape == other.shape, "shape mismatch: \(shape) vs \(other.shape)")
    return withUnsafeBufferPointer { x in
      other.withUnsafeBufferPointer { y in
        Tensor(shape: shape, generating: { f(x[$0], y[$0]) })
      }
    }
  }

  /// `self[i] ← f(self[i], other[i])` for tensors of identical shape.
  @inlinable
  public mutating func update(with other: Tensor, _ f: (Scalar, Scalar) -> Scalar) {
    precondition(shape == other.shape, "shape mismatch: \(shape) vs \(other.shape)")
    other.withUnsafeBufferPointer { y in
      withUnsafeMutableBufferPointer { x in
        for i in 0..<x.count { x[i] = f(x[i], y[i]) }
      }
    }
  }

  /// `self ← self + other` (identical shapes).
  @inlinable
  public mutating func add(_ other: Tensor) { update(with: other, +) }

  /// `self ← self + α·other` (identical shapes), the BLAS `axpy` update.
  @inlinable
  public mutating func add(_ other: Tensor, scaledBy alpha: Scalar) {
    update(with: other) { $0 + alpha * $1 }
  }

  /// Sets every element to `value`.
  @inlinable
  public mutating func fill(_ value: Scalar) {
    withUnsafeMutableBufferPointer { x in
      for i in 0..<x.count { x[i] = value }
    }
  }

  /// `Σ_i self[i]²`.
  @inlinable
  public var squaredNorm: Scalar {
    withUnsafeBufferPointer { x in
      var total: Scalar = 0
      for value in x { total += value * value }
      return total
    }
  }

  /// Frobenius (Euclidean) norm `√Σ_i self[i]²`.
  @inlinable
  public var norm: Scalar { squaredNorm.squareRoot() }

  /// Largest absolute element (0 for an empty tensor).
  @inlinable
  public var maxAbs: Scalar {
    scalars.reduce(0) { Swift.max($0, Swift.abs($1)) }
  }
}

extension Tensor {
  @inlinable
  public static prefix func - (x: Tensor) -> Tensor { x.map { -$0 } }

  @inlinable
  public static func * (x: Tensor, s: Scalar) -> Tensor { x.map { $0 * s } }

  @inlinable
  public static func * (s: Scalar, x: Tensor) -> Tensor { x.map { s * $0 } }

  @inlinable
  public static func + (x: Tensor, s: Scalar) -> Tensor { x.map { $0 + s } }

  @inlinable
  public static func - (x: Tensor, s: Scalar) -> Tensor { x.map { $0 - s } }

  @inlinable
  public static func / (x: Tensor, s: Scalar) -> Tensor { x.map { $0 / s } }

  /// Broadcasting sum (NumPy rules, see ``broadcast(_:_:_:)``).
  @inlinable
  public static func + (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b, +) }

  /// Broadcasting difference.
  @inlinable
  public static func - (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b, -) }

  /// Broadcasting (Hadamard) product.
  @inlinable
  public static func * (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b, *) }

  /// Broadcasting quotient.
  @inlinable
  public static func / (a: Tensor, b: Tensor) -> Tensor { broadcast(a, b, /) }
}

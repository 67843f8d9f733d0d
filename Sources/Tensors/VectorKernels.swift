/// Small vector kernels over raw pointers, written with explicit SIMD lanes because the
/// compiler cannot prove that the source and destination do not overlap. Each lane performs
/// exactly the scalar operation, so results are identical to the plain loops.
public enum VectorKernels {
  /// `y[i] += x[i]` for `i < count`.
  @inlinable
  public static func accumulate<S: TensorScalar>(
    _ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int
  ) {
    typealias Lanes = SIMD8<S>
    var i = 0
    while i + Lanes.scalarCount <= count {
      let sum =
        UnsafeRawPointer(y + i).loadUnaligned(as: Lanes.self)
        + UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self)
      UnsafeMutableRawPointer(y + i).storeBytes(of: sum, as: Lanes.self)
      i += Lanes.scalarCount
    }
    while i < count {
      y[i] += x[i]
      i += 1
    }
  }
}

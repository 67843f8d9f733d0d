/// A dense, row-major array of ``TensorScalar`` values with value semantics.
///
/// Storage is a Swift `Array`, so copies are O(1) and the first write to a shared copy
/// duplicates the buffer (copy-on-write). `Tensor<Float>` is the training type;
/// `Tensor<Double>` is used for analysis and finite-difference gradient checks.
///
/// Element `(i₀, i₁, …, i_{r−1})` lives at offset `Σ_j i_j · stride_j` with
/// `stride_{r−1} = 1` and `stride_j = stride_{j+1} · shape_{j+1}`.
public struct Tensor<Scalar: TensorScalar>: Sendable, Equatable {
  /// Extent of each axis, outermost first: `[rows, columns]` for a matrix. `[]` is a scalar.
  @inlinable public var shape: [Int] { storedShape }
  /// Scalars in row-major order; `scalars.count == shape.reduce(1, *)`.
  @inlinable public var scalars: [Scalar] { storage }

  @usableFromInline var storedShape: [Int]
  @usableFromInline var storage: [Scalar]

  /// Wraps `scalars` (row-major) as a tensor of the given shape.
  @inlinable
  public init(shape: [Int], scalars: [Scalar]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    precondition(
      shape.reduce(1, *) == scalars.count,
      "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
    self.storedShape = shape
    self.storage = scalars
  }

  /// A tensor of the given shape with every element equal to `value`.
  @inlinable
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// A tensor of zeros.
  @inlinable
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

  /// A tensor of ones.
  @inlinable
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

  /// A rank-0 tensor holding one value.
  @inlinable
  public init(_ value: Scalar) { self.init(shape: [], scalars: [value]) }

  /// A matrix from rows of equal length.
  public init(rows: [[Scalar]]) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "ragged rows")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
  }

  /// Builds a tensor by evaluating `element` at every flat index. The buffer is written once,
  /// without first being filled with zeros.
  @inlinable
  public init(shape: [Int], generating element: (Int) -> Scalar) {
    let count = shape.reduce(1, *)
    let values = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
      for i in 0..<count { buffer[i] = element(i) }
      initialized = count
    }
    self.init(shape: shape, scalars: values)
  }

  /// A matrix whose every row is a copy of `row`: `(rows, row.count)`.
  @inlinable
  public init(shape: [Int], rowsRepeating row: UnsafeBufferPointer<Scalar>) {
    precondition(shape.count == 2 && shape[1] == row.count, "rows of \(row.count) for \(shape)")
    let count = shape[0] * shape[1]
    let values = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
      guard let base = buffer.baseAddress, let source = row.baseAddress else {
        initialized = 0
        return
      }
      for r in 0..<shape[0] { (base + r * row.count).initialize(from: source, count: row.count) }
      initialized = count
    }
    self.init(shape: shape, scalars: values)
  }

  /// Number of elements.
  @inlinable public var count: Int { scalars.count }
  /// Number of axes.
  @inlinable public var rank: Int { shape.count }
  /// Rows of a matrix (`shape[0]`).
  @inlinable public var rows: Int { shape[0] }
  /// Columns of a matrix (`shape[1]`).
  @inlinable public var columns: Int { shape[1] }

  /// The only element of a one-element tensor.
  @inlinable
  public var scalar: Scalar {
    precondition(count == 1, "scalar of a tensor with shape \(shape)")
    return scalars[0]
  }

  /// Element access by multi-index.
  @inlinable
  public subscript(indices: Int...) -> Scalar {
    get { scalars[offset(of: indices)] }
    set { storage[offset(of: indices)] = newValue }
  }

  /// Row-major offset of a multi-index.
  @inlinable
  public func offset(of indices: [Int]) -> Int {
    precondition(indices.count == shape.count, "index \(indices) for shape \(shape)")
    var offset = 0
    for (axis, index) in indices.enumerated() {
      precondition(index >= 0 && index < shape[axis], "index \(indices) out of shape \(shape)")
      offset = offset * shape[axis] + index
    }
    return offset
  }

  /// The same scalars viewed with another shape of equal element count.
  @inlinable
  public func reshaped(_ newShape: [Int]) -> Tensor {
    Tensor(shape: newShape, scalars: scalars)
  }

  /// Converts between precisions (e.g. `Tensor<Double>(tensorOfFloat)`).
  @inlinable
  public init<Other: TensorScalar>(_ other: Tensor<Other>) {
    self.init(shape: other.shape, scalars: other.scalars.map { Scalar($0) })
  }

  /// Calls `body` with the scalars for reading.
  @inlinable
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R)
    rethrows -> R
  {
    try storage.withUnsafeBufferPointer(body)
  }

  /// Calls `body` with the scalars for writing in place (the shape stays fixed).
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try storage.withUnsafeMutableBufferPointer(body)
  }

  /// Element at a row-major flat offset.
  @inlinable
  public subscript(flat offset: Int) -> Scalar {
    get { scalars[offset] }
    set { storage[offset] = newValue }
  }

  /// Whether every element is finite (no NaN or ±∞).
  @inlinable
  public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    "Tensor\(shape)(\(scalars.prefix(8).map { "\($0)" }.joined(separator: ", "))\(count > 8 ? ", …" : ""))"
  }
}

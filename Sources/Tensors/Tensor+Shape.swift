/// Transposition, slicing, row gathering and concatenation.
extension Tensor {
  /// The transpose of a matrix: `(m, n) → (n, m)`.
  @inlinable
  public func transposed() -> Tensor {
    precondition(rank == 2, "transpose needs a matrix, got shape \(shape)")
    let m = rows
    let n = columns
    return withUnsafeBufferPointer { x in
      Tensor(shape: [n, m], generating: { x[($0 % m) * n + $0 / m] })
    }
  }

  /// Elements `range` along `axis`, all other axes whole.
  @inlinable
  public func slice(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
    let (outer, extent, inner) = split(around: axis)
    precondition(
      range.lowerBound >= 0 && range.upperBound <= extent,
      "slice \(range) out of extent \(extent) on axis \(axis)")
    var newShape = shape
    newShape[axis] = range.count
    let width = range.count * inner
    // One contiguous block of `width` scalars per outer index.
    let values = [Scalar](unsafeUninitializedCapacity: outer * width) { buffer, initialized in
      withUnsafeBufferPointer { x in
        guard let source = x.baseAddress, let target = buffer.baseAddress else { return }
        for o in 0..<outer {
          (target + o * width).initialize(
            from: source + (o * extent + range.lowerBound) * inner, count: width)
        }
      }
      initialized = outer * width
    }
    return Tensor(shape: newShape, scalars: values)
  }

  /// Rows `indices` of a matrix (or leading-axis entries of any tensor), in that order:
  /// the mini-batch gather.
  @inlinable
  public func gatherRows<C: Collection>(_ indices: C) -> Tensor where C.Element == Int {
    let inner = count / Swift.max(shape[0], 1)
    var newShape = shape
    newShape[0] = indices.count
    let order = Array(indices)
    return withUnsafeBufferPointer { x in
      Tensor(shape: newShape, generating: { x[order[$0 / inner] * inner + $0 % inner] })
    }
  }

  /// Joins tensors along `axis`; all other extents must agree.
  public static func concatenate(_ parts: [Tensor], alongAxis axis: Int) -> Tensor {
    precondition(!parts.isEmpty, "concatenate needs at least one tensor")
    var newShape = parts[0].shape
    for part in parts.dropFirst() {
      var a = part.shape
      var b = newShape
      a[axis] = 0
      b[axis] = 0
      precondition(a == b, "concatenate: shapes \(parts.map(\.shape)) differ off axis \(axis)")
      newShape[axis] += part.shape[axis]
    }
    let outer = newShape[..<axis].reduce(1, *)
    var scalars: [Scalar] = []
    scalars.reserveCapacity(newShape.reduce(1, *))
    for o in 0..<outer {
      for part in parts {
        let block = part.count / Swift.max(outer, 1)
        scalars.append(contentsOf: part.scalars[(o * block)..<((o + 1) * block)])
      }
    }
    return Tensor(shape: newShape, scalars: scalars)
  }
}

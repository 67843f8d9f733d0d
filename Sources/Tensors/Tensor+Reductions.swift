/// Sums, means and extrema, over all elements or along one axis.
extension Tensor {
  /// `Σ_i self[i]`, accumulated left to right (a fixed order, so results are reproducible).
  @inlinable
  public func sum() -> Scalar {
    withUnsafeBufferPointer { x in
      var total: Scalar = 0
      for value in x { total += value }
      return total
    }
  }

  /// Arithmetic mean of all elements.
  @inlinable
  public func mean() -> Scalar { sum() / Scalar(count) }

  /// Splits the shape around `axis` into `(outer, extent, inner)` element counts.
  @inlinable
  func split(around axis: Int) -> (outer: Int, extent: Int, inner: Int) {
    precondition(axis >= 0 && axis < rank, "axis \(axis) out of range for shape \(shape)")
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    return (outer, shape[axis], inner)
  }

  /// Sum along `axis`; the axis is kept with extent 1 when `keepingDimension` is true.
  ///
  /// For a `(batch, features)` matrix, `sum(alongAxis: 0)` gives the per-feature totals.
  @inlinable
  public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
    let (outer, extent, inner) = split(around: axis)
    var newShape = shape
    if keepingDimension { newShape[axis] = 1 } else { newShape.remove(at: axis) }
    var out = Tensor.zeros(newShape)
    withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in
        guard let source = x.baseAddress, let target = y.baseAddress else { return }
        for o in 0..<outer {
          for e in 0..<extent {
            VectorKernels.accumulate(
              source + (o * extent + e) * inner, into: target + o * inner, count: inner)
          }
        }
      }
    }
    return out
  }

  /// Mean along `axis`.
  @inlinable
  public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
    sum(alongAxis: axis, keepingDimension: keepingDimension) / Scalar(shape[axis])
  }

  /// Index of the largest element of each row of a matrix (first one on ties).
  @inlinable
  public func argmaxRows() -> [Int] {
    precondition(rank == 2, "argmaxRows needs a matrix, got shape \(shape)")
    let n = columns
    return withUnsafeBufferPointer { x in
      (0..<rows).map { r in
        var best = 0
        for c in 1..<max(n, 1) where x[r * n + c] > x[r * n + best] { best = c }
        return best
      }
    }
  }
}

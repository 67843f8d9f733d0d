/// NumPy broadcasting: shapes are aligned at their trailing axes; an axis of extent 1 (or a
/// missing leading axis) is repeated to match the other operand.
///
/// `broadcastShape([4, 1, 3], [5, 1]) == [4, 5, 3]`; `[2, 3]` and `[4, 3]` do not broadcast.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
  let rank = max(a.count, b.count)
  var result = [Int](repeating: 1, count: rank)
  for axis in 0..<rank {
    let da = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
    let db = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
    if da == db || db == 1 {
      result[axis] = da
    } else if da == 1 {
      result[axis] = db
    } else {
      return nil
    }
  }
  return result
}

/// Strides with which an operand of `shape` is read when broadcast to `target`: 0 on the
/// axes it is repeated along.
@inlinable
func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
  let offset = target.count - shape.count
  var strides = [Int](repeating: 0, count: target.count)
  var step = 1
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[axis + offset] = shape[axis] == 1 ? 0 : step
    step *= shape[axis]
  }
  return strides
}

/// Calls `body(outputOffset, offsetA, offsetB)` for every element of `target` in row-major
/// order, with the offsets of the two broadcast operands.
@inlinable
func forEachBroadcastOffset(
  target: [Int], stridesA: [Int], stridesB: [Int], _ body: (Int, Int, Int) -> Void
) {
  let count = target.reduce(1, *)
  if count == 0 { return }
  let rank = target.count
  var index = [Int](repeating: 0, count: rank)
  var offsetA = 0
  var offsetB = 0
  for flat in 0..<count {
    body(flat, offsetA, offsetB)
    var axis = rank - 1
    while axis >= 0 {
      index[axis] += 1
      offsetA += stridesA[axis]
      offsetB += stridesB[axis]
      if index[axis] < target[axis] { break }
      offsetA -= stridesA[axis] * target[axis]
      offsetB -= stridesB[axis] * target[axis]
      index[axis] = 0
      axis -= 1
    }
  }
}

/// Applies `f` elementwise to two tensors under NumPy broadcasting.
///
/// Fast paths: identical shapes, a one-element operand, and an operand whose shape is a
/// trailing block of the other's (a bias row added to every row of a batch).
@inlinable
public func broadcast<S: TensorScalar>(
  _ a: Tensor<S>, _ b: Tensor<S>, _ f: (S, S) -> S
) -> Tensor<S> {
  if a.shape == b.shape { return a.zipMap(b, f) }
  guard let target = broadcastShape(a.shape, b.shape) else {
    preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
  }
  return a.withUnsafeBufferPointer { x in
    b.withUnsafeBufferPointer { y in
      if target == a.shape && (b.count == 1 || isTrailingBlock(b.shape, of: a.shape)) {
        let period = b.count
        return Tensor(shape: target, generating: { f(x[$0], y[$0 % period]) })
      }
      if target == b.shape && (a.count == 1 || isTrailingBlock(a.shape, of: b.shape)) {
        let period = a.count
        return Tensor(shape: target, generating: { f(x[$0 % period], y[$0]) })
      }
      var out = Tensor<S>.zeros(target)
      out.withUnsafeMutableBufferPointer { z in
        forEachBroadcastOffset(
          target: target, stridesA: broadcastStrides(of: a.shape, to: target),
          stridesB: broadcastStrides(of: b.shape, to: target)
        ) { o, i, j in z[o] = f(x[i], y[j]) }
      }
      return out
    }
  }
}

/// Whether `shape` (leading 1s ignored) equals the trailing axes of `full`, so that reading
/// it with period `count` repeats it correctly.
@inlinable
func isTrailingBlock(_ shape: [Int], of full: [Int]) -> Bool {
  var trimmed = shape[...]
  while let first = trimmed.first, first == 1, trimmed.count > 0 { trimmed = trimmed.dropFirst() }
  if trimmed.count > full.count { return false }
  return Array(full.suffix(trimmed.count)) == Array(trimmed)
}

extension Tensor {
  /// Sums a broadcast result back to `shape`: the adjoint of broadcasting `shape` up to
  /// `self.shape`, used by the pullbacks of broadcasting operations.
  @inlinable
  public func summed(toShape target: [Int]) -> Tensor {
    if target == shape { return self }
    precondition(
      broadcastShape(shape, target) == shape,
      "cannot sum shape \(shape) down to \(target)")
    var out = Tensor.zeros(target)
    let period = out.count
    withUnsafeBufferPointer { g in
      out.withUnsafeMutableBufferPointer { o in
        if isTrailingBlock(target, of: shape) {
          var base = 0
          while base < g.count {
            for j in 0..<period { o[j] += g[base + j] }
            base += period
          }
        } else {
          forEachBroadcastOffset(
            target: shape, stridesA: broadcastStrides(of: shape, to: shape),
            stridesB: broadcastStrides(of: target, to: shape)
          ) { _, i, j in o[j] += g[i] }
        }
      }
    }
    return out
  }
}

import Tensors

/// Shape operations: reshape, transpose, slicing, concatenation and row gathering.

/// The same elements with another shape; `∂x = g` reshaped back.
@inlinable
public func reshape<S>(_ x: Variable<S>, _ shape: [Int]) -> Variable<S> {
  let original = x.shape
  return Variable(x.value.reshaped(shape), inputs: [x]) { g in [g.reshaped(original)] }
}

/// Matrix transpose; `∂x = gᵀ`.
@inlinable
public func transpose<S>(_ x: Variable<S>) -> Variable<S> {
  Variable(x.value.transposed(), inputs: [x]) { g in [g.transposed()] }
}

/// Elements `range` along `axis`; `∂x` is `g` placed at `range` and zero elsewhere.
@inlinable
public func slice<S>(_ x: Variable<S>, alongAxis axis: Int, _ range: Range<Int>) -> Variable<S> {
  let shape = x.shape
  return Variable(x.value.slice(alongAxis: axis, range), inputs: [x]) { g in
    var parts: [Tensor<S>] = []
    if range.lowerBound > 0 {
      var before = shape
      before[axis] = range.lowerBound
      parts.append(.zeros(before))
    }
    parts.append(g)
    if range.upperBound < shape[axis] {
      var after = shape
      after[axis] = shape[axis] - range.upperBound
      parts.append(.zeros(after))
    }
    return [Tensor.concatenate(parts, alongAxis: axis)]
  }
}

/// Joins variables along `axis`; each input's gradient is its slice of `g`.
public func concatenate<S>(_ parts: [Variable<S>], alongAxis axis: Int) -> Variable<S> {
  let extents = parts.map { $0.shape[axis] }
  return Variable(Tensor.concatenate(parts.map(\.value), alongAxis: axis), inputs: parts) { g in
    var start = 0
    return extents.map { extent in
      defer { start += extent }
      return g.slice(alongAxis: axis, start..<(start + extent))
    }
  }
}

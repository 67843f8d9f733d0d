import Tensors

/// Reductions and their adjoints (broadcasting the gradient back over the reduced axes).

/// `Σ_i x_i` (a rank-0 result); `∂x = g·1`.
@inlinable
public func sum<S>(_ x: Variable<S>) -> Variable<S> {
  let shape = x.shape
  return Variable(Tensor(x.value.sum()), inputs: [x]) { g in
    [Tensor(repeating: g.scalar, shape: shape)]
  }
}

/// `(1/n) Σ_i x_i`; `∂x = g/n`.
@inlinable
public func mean<S>(_ x: Variable<S>) -> Variable<S> {
  let shape = x.shape
  let n = S(x.value.count)
  return Variable(Tensor(x.value.sum() / n), inputs: [x]) { g in
    [Tensor(repeating: g.scalar / n, shape: shape)]
  }
}

/// Sum along one axis; `∂x` repeats `g` along that axis.
@inlinable
public func sum<S>(_ x: Variable<S>, alongAxis axis: Int, keepingDimension: Bool = false)
  -> Variable<S>
{
  let shape = x.shape
  var kept = shape
  kept[axis] = 1
  return Variable(
    x.value.sum(alongAxis: axis, keepingDimension: keepingDimension), inputs: [x]
  ) { g in
    [g.reshaped(kept) + Tensor<S>.zeros(shape)]
  }
}

/// Mean along one axis; `∂x` repeats `g/n` along that axis.
@inlinable
public func mean<S>(_ x: Variable<S>, alongAxis axis: Int, keepingDimension: Bool = false)
  -> Variable<S>
{
  sum(x, alongAxis: axis, keepingDimension: keepingDimension) * (1 / S(x.shape[axis]))
}

import RealModule
import Tensors

/// Elementwise nonlinearities. Each pullback multiplies the incoming gradient by the
/// derivative evaluated at the forward pass's input or output.

/// Rectified linear unit `max(x, 0)`; derivative `1[x > 0]` (0 at the kink).
@inlinable
public func relu<S>(_ x: Variable<S>) -> Variable<S> {
  let y = x.value.map { $0 > 0 ? $0 : 0 }
  return Variable(y, inputs: [x]) { g in [g.zipMap(y) { $1 > 0 ? $0 : 0 }] }
}

/// Leaky ReLU `x` for `x > 0`, `slope·x` otherwise; derivative `1` or `slope`.
@inlinable
public func leakyRelu<S>(_ x: Variable<S>, slope: S = 0.01) -> Variable<S> {
  let input = x.value
  return Variable(input.map { $0 > 0 ? $0 : slope * $0 }, inputs: [x]) { g in
    [g.zipMap(input) { $1 > 0 ? $0 : slope * $0 }]
  }
}

/// Hyperbolic tangent; derivative `1 − tanh²x`.
@inlinable
public func tanh<S>(_ x: Variable<S>) -> Variable<S> {
  let y = x.value.map { S.tanh($0) }
  return Variable(y, inputs: [x]) { g in [g.zipMap(y) { $0 * (1 - $1 * $1) }] }
}

/// Logistic sigmoid `1/(1 + e^{−x})`; derivative `σ(1 − σ)`.
@inlinable
public func sigmoid<S>(_ x: Variable<S>) -> Variable<S> {
  let y = x.value.map { v in
    // Evaluated on the side where the exponential cannot overflow.
    v >= 0 ? 1 / (1 + S.exp(-v)) : S.exp(v) / (1 + S.exp(v))
  }
  return Variable(y, inputs: [x]) { g in [g.zipMap(y) { $0 * $1 * (1 - $1) }] }
}

/// Gauss error function; derivative `(2/√π)·e^{−x²}`.
@inlinable
public func erf<S>(_ x: Variable<S>) -> Variable<S> {
  let input = x.value
  let c = 2 / S.pi.squareRoot()
  return Variable(input.map { S.erf($0) }, inputs: [x]) { g in
    [g.zipMap(input) { $0 * c * S.exp(-$1 * $1) }]
  }
}

/// Exact GELU `x·Φ(x) = ½x(1 + erf(x/√2))` (Hendrycks & Gimpel 2016);
/// derivative `Φ(x) + x·φ(x)`, computed in the forward pass beside the value (one erf and one
/// exp per element in all) and kept for the pullback. Single precision uses ``FastGELU``'s
/// vectorised kernel.
@inlinable
public func gelu<S>(_ x: Variable<S>) -> Variable<S> {
  let input = x.value
  let invSqrt2 = 1 / S(2).squareRoot()
  let invSqrt2Pi = 1 / (2 * S.pi).squareRoot()
  var y = Tensor<S>.zeros(input.shape)
  var slope = Tensor<S>.zeros(input.shape)
  input.withUnsafeBufferPointer { xs in
    y.withUnsafeMutableBufferPointer { ys in
      slope.withUnsafeMutableBufferPointer { ds in
        if S.self == Float.self {
          // Single precision: the vectorised kernel (same formulas to within float rounding).
          FastGELU.evaluate(
            UnsafeBufferPointer(
              start: UnsafeRawPointer(xs.baseAddress)?.assumingMemoryBound(to: Float.self),
              count: xs.count),
            values: UnsafeMutableBufferPointer(
              start: UnsafeMutableRawPointer(ys.baseAddress)?.assumingMemoryBound(to: Float.self),
              count: ys.count),
            slopes: UnsafeMutableBufferPointer(
              start: UnsafeMutableRawPointer(ds.baseAddress)?.assumingMemoryBound(to: Float.self),
              count: ds.count))
          return
        }
        for i in xs.indices {
          let v = xs[i]
          let phi = (1 + S.erf(v * invSqrt2)) / 2
          ys[i] = v * phi
          ds[i] = phi + v * invSqrt2Pi * S.exp(-v * v / 2)
        }
      }
    }
  }
  let derivative = slope
  return Variable(y, inputs: [x]) { g in [g * derivative] }
}

/// The identity (a node of its own, so that models can name a linear activation).
@inlinable
public func identity<S>(_ x: Variable<S>) -> Variable<S> {
  Variable(x.value, inputs: [x]) { g in [g] }
}

/// Natural exponential; derivative `eˣ`.
@inlinable
public func exp<S>(_ x: Variable<S>) -> Variable<S> {
  let y = x.value.map { S.exp($0) }
  return Variable(y, inputs: [x]) { g in [g * y] }
}

/// Natural logarithm; derivative `1/x`.
@inlinable
public func log<S>(_ x: Variable<S>) -> Variable<S> {
  let input = x.value
  return Variable(input.map { S.log($0) }, inputs: [x]) { g in [g / input] }
}

/// Elementwise square; derivative `2x`.
@inlinable
public func square<S>(_ x: Variable<S>) -> Variable<S> {
  let input = x.value
  return Variable(input * input, inputs: [x]) { g in [g.zipMap(input) { 2 * $0 * $1 }] }
}

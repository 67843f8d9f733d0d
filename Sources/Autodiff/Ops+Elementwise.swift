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
/// derivative `Φ(x) + x·φ(x)`.
@inlinable
public func gelu<S>(_ x: Variable<S>) -> Variable<S> {
  let input = x.value
  let invSqrt2 = 1 / S(2).squareRoot()
  let invSqrt2Pi = 1 / (2 * S.pi).squareRoot()
  let y = input.map { v in v * (1 + S.erf(v * invSqrt2)) / 2 }
  return Variable(y, inputs: [x]) { g in
    [
      g.zipMap(input) { gi, v in
        gi * ((1 + S.erf(v * invSqrt2)) / 2 + v * invSqrt2Pi * S.exp(-v * v / 2))
      }
    ]
  }
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

import Tensors

/// Whether `a` and `b` agree within `absolute + relative·max(|a|, |b|)`.
public func isApproximatelyEqual<T: BinaryFloatingPoint>(
  _ a: T, _ b: T, relative: T = 0, absolute: T = 0
) -> Bool {
  abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}

/// Largest elementwise absolute difference of two tensors of the same shape.
public func maxAbsoluteDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> S {
  precondition(a.shape == b.shape, "shapes \(a.shape) vs \(b.shape)")
  return zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A seeded tensor of the given shape with entries uniform in `[low, high)`.
public func randomTensor(_ shape: [Int], seed: UInt64, low: Double = -1, high: Double = 1)
  -> Tensor<Double>
{
  var rng = SplittableRandom(seed: seed)
  return Tensor.randomUniform(shape, low: low, high: high, using: &rng)
}

/// Like ``randomTensor(_:seed:low:high:)`` but with magnitudes in `[margin, 1)` and random
/// signs: inputs kept away from the kinks of ReLU-like functions, where finite differences
/// straddle a discontinuity of the derivative.
public func randomTensorAwayFromZero(_ shape: [Int], seed: UInt64, margin: Double = 0.05)
  -> Tensor<Double>
{
  var rng = SplittableRandom(seed: seed)
  return Tensor(
    shape: shape,
    generating: { _ in
      let magnitude = margin + (1 - margin) * rng.nextUniform()
      return rng.nextUniform() < 0.5 ? -magnitude : magnitude
    })
}

import Autodiff
import Tensors

/// The outcome of comparing reverse-mode gradients with central finite differences.
public struct GradientCheckResult: CustomStringConvertible {
  /// `‖g_fd − g_ad‖ / max(‖g_fd‖, ‖g_ad‖, 10⁻¹²)` over all inputs together: the usual
  /// relative error of a gradient check.
  public var relativeError: Double
  /// Input and flat index of the element with the largest absolute difference, and both values.
  public var worst: (input: Int, index: Int, numeric: Double, analytic: Double)

  public var description: String {
    "relative error \(relativeError); worst at input \(worst.input)[\(worst.index)]: "
      + "finite difference \(worst.numeric) vs autodiff \(worst.analytic)"
  }
}

/// Compares the gradient of a scalar function of several tensors, computed by `backward()`,
/// with central differences `(f(x + h·e_i) − f(x − h·e_i)) / 2h` in double precision.
///
/// With `h = 10⁻⁶` the truncation error is `O(h²·f‴) ≈ 10⁻¹²` and the rounding error
/// `O(ε·|f|/h) ≈ 10⁻¹⁰·|f|`, both far below the 10⁻⁶ tolerance the tests use.
public func checkGradients(
  at inputs: [Tensor<Double>], h: Double = 1e-6,
  _ function: ([Variable<Double>]) -> Variable<Double>
) -> GradientCheckResult {
  let variables = inputs.map { Variable($0, requiresGradient: true) }
  return checkGradients(of: variables, h: h) { function(variables) }
}

/// Reduces any tensor-valued output to a scalar with fixed random weights,
/// `L = Σ_i y_i·r_i`, so that every element of `∂L/∂y` differs (a plain sum would hide
/// errors that permute or mix elements).
public func weightedSum(_ y: Variable<Double>, seed: UInt64 = 99) -> Variable<Double> {
  var rng = SplittableRandom(seed: seed)
  let weights = Tensor<Double>.randomNormal(y.shape, using: &rng)
  return sum(y * Variable(weights))
}

/// Gradient check of a loss with respect to existing parameter variables (a model's
/// weights): `loss()` must rebuild the graph from the parameters' current values. The values
/// are perturbed in place for the finite differences and restored afterwards.
public func checkGradients(
  of parameters: [Variable<Double>], h: Double = 1e-6, loss: () -> Variable<Double>
) -> GradientCheckResult {
  for p in parameters { p.zeroGradient() }
  loss().backward()
  let analytic = parameters.map { $0.grad ?? Tensor.zeros($0.shape) }
  let original = parameters.map(\.value)
  var difference = 0.0
  var normNumeric = 0.0
  var normAnalytic = 0.0
  var worst = (input: 0, index: 0, numeric: 0.0, analytic: 0.0)
  var worstGap = -1.0
  for (i, p) in parameters.enumerated() {
    for k in 0..<p.value.count {
      p.value[flat: k] = original[i][flat: k] + h
      let plus = loss().value.scalar
      p.value[flat: k] = original[i][flat: k] - h
      let minus = loss().value.scalar
      p.value[flat: k] = original[i][flat: k]
      let numeric = (plus - minus) / (2 * h)
      let exact = analytic[i][flat: k]
      difference += (numeric - exact) * (numeric - exact)
      normNumeric += numeric * numeric
      normAnalytic += exact * exact
      if abs(numeric - exact) > worstGap {
        worstGap = abs(numeric - exact)
        worst = (i, k, numeric, exact)
      }
    }
  }
  let scale = max(normNumeric.squareRoot(), normAnalytic.squareRoot(), 1e-12)
  return GradientCheckResult(relativeError: difference.squareRoot() / scale, worst: worst)
}

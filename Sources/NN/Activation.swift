import Autodiff
import RealModule
import Tensors

/// A pointwise nonlinearity φ, usable on autodiff variables and as a scalar function (for
/// mean-field integrals and analytic checks).
public enum Activation: String, CaseIterable, Codable, Sendable {
  case relu
  case tanh
  case gelu
  case erf
  case sigmoid
  case identity
  /// Leaky ReLU with slope 0.01 on the negative side.
  case leakyRelu = "leaky-relu"

  /// φ applied to a variable (recorded for back-propagation).
  @inlinable
  public func callAsFunction<S>(_ x: Variable<S>) -> Variable<S> {
    switch self {
    case .relu: return Autodiff.relu(x)
    case .tanh: return Autodiff.tanh(x)
    case .gelu: return Autodiff.gelu(x)
    case .erf: return Autodiff.erf(x)
    case .sigmoid: return Autodiff.sigmoid(x)
    case .identity: return x
    case .leakyRelu: return Autodiff.leakyRelu(x, slope: 0.01)
    }
  }

  /// φ(x) in double precision.
  public func value(_ x: Double) -> Double {
    switch self {
    case .relu: return max(x, 0)
    case .tanh: return Double.tanh(x)
    case .gelu: return x * (1 + Double.erf(x / 2.0.squareRoot())) / 2
    case .erf: return Double.erf(x)
    case .sigmoid: return 1 / (1 + Double.exp(-x))
    case .identity: return x
    case .leakyRelu: return x > 0 ? x : 0.01 * x
    }
  }

  /// φ′(x) in double precision.
  public func derivative(_ x: Double) -> Double {
    switch self {
    case .relu: return x > 0 ? 1 : 0
    case .tanh:
      // sech²x, to full relative precision in the tails (1 − tanh²x cancels there).
      let c = Double.cosh(x)
      return 1 / (c * c)
    case .gelu:
      return (1 + Double.erf(x / 2.0.squareRoot())) / 2 + x * Double.exp(-x * x / 2)
        / (2 * Double.pi).squareRoot()
    case .erf: return 2 / Double.pi.squareRoot() * Double.exp(-x * x)
    case .sigmoid:
      let s = 1 / (1 + Double.exp(-x))
      return s * (1 - s)
    case .identity: return 1
    case .leakyRelu: return x > 0 ? 1 : 0.01
    }
  }
}

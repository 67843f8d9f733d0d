import Data
import Foundation
import NN
import Theory

/// The order parameters of an erf network on a Hermite single-index target, in closed form
/// (SPEC §6, sample complexity; Rubin, Davidovich & Ringel): for x ~ N(0, I_d), a unit teacher
/// direction w* and y = g(w*·x) (``HermiteTarget``), and the network
/// f(x) = Σ_j a_j erf(w_j·x) (a ``TwoLayerNetwork`` with erf units and zero biases, its
/// multipliers folded into w_j and a_j):
///
/// - f's Hermite coefficients along w*, `f_k = E[f He_k(w*·x)]/k!`, from
///   ``Theory/HermiteOverlap`` (k = 1: the linear part, k = 3: the cubic part);
/// - the target overlap `A = E[f y]/E[y²]`;
/// - the test error `E[(f − y)²] = Σ_k k!(f_k − y_k)² + R`, split into its linear part
///   (k = 1), its cubic part (k = 3) and the rest `R = E[f²] − f₁² − 6f₃²` (every other
///   component of f; y has none there), with
///   `E[f²] = Σ_ij a_i a_j (2/π) arcsin(2C_ij/√((1 + 2C_ii)(1 + 2C_jj)))`, C_ij = w_i·w_j
///   (Williams 1997);
/// - each neuron's alignment `|w_j·w*|/|w_j|`, and the number of specialised neurons: those
///   aligned beyond `threshold` (0.8 by default: a neuron pointing at random has alignment of
///   order 1/√d, 0.35 at d = 8, and a neuron of the He₃ pattern tends to 1).
public struct FeatureOrderParameters: Codable, Sendable, Equatable {
  public var overlap: Double
  /// f₁ and f₃.
  public var linearCoefficient: Double
  public var cubicCoefficient: Double
  public var testError: Double
  public var linearError: Double
  public var cubicError: Double
  /// The error outside the linear and cubic components along w*.
  public var remainingError: Double
  public var alignments: [Double]
  public var specialised: Int

  public init(
    overlap: Double, linearCoefficient: Double, cubicCoefficient: Double, testError: Double,
    linearError: Double, cubicError: Double, remainingError: Double, alignments: [Double],
    specialised: Int
  ) {
    self.overlap = overlap
    self.linearCoefficient = linearCoefficient
    self.cubicCoefficient = cubicCoefficient
    self.testError = testError
    self.linearError = linearError
    self.cubicError = cubicError
    self.remainingError = remainingError
    self.alignments = alignments
    self.specialised = specialised
  }

  /// The order parameters of `network` (erf units; biases must be 0) for the teacher
  /// direction `teacher` (|w*| = 1) and `target`.
  public init(
    network: TwoLayerNetwork, teacher: [Double], target: HermiteTarget, threshold: Double = 0.8
  ) {
    precondition(network.activation == .erf, "closed forms exist for erf units")
    precondition(teacher.count == network.inputs, "one teacher entry per input")
    let (n, d) = (network.width, network.inputs)
    let m = network.multipliers
    let parameters = network.parameters
    let biasStart = n * d
    precondition(
      m.biases == 0 || parameters[biasStart..<(biasStart + n)].allSatisfy { $0 == 0 },
      "the closed forms need zero hidden biases")
    precondition(
      m.readoutBias == 0 || parameters[parameters.count - 1] == 0,
      "the closed forms need a zero output bias")
    let weights = (0..<n).map { j in (0..<d).map { m.weights * parameters[j * d + $0] } }
    let readout = (0..<n).map { m.readout * parameters[biasStart + n + $0] }
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    let norms = weights.map { dot($0, $0) }
    let overlaps = weights.map { dot($0, teacher) }
    func coefficient(_ k: Int) -> Double {
      var total = 0.0
      for j in 0..<n {
        total +=
          readout[j] * HermiteOverlap.erf(order: k, squaredNorm: norms[j], overlap: overlaps[j])
      }
      return total / HermiteOverlap.squaredNorm(order: k)
    }
    let (f1, f3) = (coefficient(1), coefficient(3))
    let (y1, y3) = target.linearAndCubicCoefficients
    // E[f y] from the target's own Hermite components.
    let fy: Double
    switch target {
    case .hermite(let k) where k != 1 && k != 3:
      fy = coefficient(k) * HermiteOverlap.squaredNorm(order: k)
    default:
      fy = y1 * f1 + 6 * y3 * f3
    }
    var secondMoment = 0.0
    for i in 0..<n {
      for j in 0..<n {
        let c = dot(weights[i], weights[j])
        let ratio = 2 * c / ((1 + 2 * norms[i]) * (1 + 2 * norms[j])).squareRoot()
        secondMoment += readout[i] * readout[j] * 2 / .pi * asin(min(max(ratio, -1), 1))
      }
    }
    overlap = fy / target.squaredNorm
    linearCoefficient = f1
    cubicCoefficient = f3
    linearError = (f1 - y1) * (f1 - y1)
    cubicError = 6 * (f3 - y3) * (f3 - y3)
    // For He_k with k ∉ {1, 3} the target lies outside both parts: its own component enters the
    // rest, E[(f − y)²] − linear − cubic.
    let total = secondMoment - 2 * fy + target.squaredNorm
    testError = total
    remainingError = total - linearError - cubicError
    alignments = (0..<n).map {
      abs(overlaps[$0]) / max(norms[$0].squareRoot(), .leastNormalMagnitude)
    }
    specialised = alignments.filter { $0 > threshold }.count
  }
}

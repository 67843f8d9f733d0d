import Foundation
import NN
import Tensors

/// The reference problem of the fractal trainability boundary (Sohl-Dickstein 2024,
/// "The boundary of neural network trainability is fractal", arXiv:2402.06184, after the
/// author's public notebook): one hidden layer of width n = 16 without biases, input
/// dimension 16, one output, in the mean-field parameterisation
///
///     h = φ(√2 · X W₀ / √d),   ŷ = h W₁ / n,   L = mean((ŷ − Y)²)
///
/// with W₀ (d × n), W₁ (n × 1), X (N × d) and Y (N) i.i.d. N(0, 1), one network and one data
/// set for the whole image, N = 272 training points (the number of parameters), trained by
/// full-batch gradient descent with one learning rate per layer in double precision.
public struct TrainabilityProblem: Sendable {
  /// Input dimension d.
  public var inputs: Int
  /// Hidden width n.
  public var width: Int
  /// Training points N.
  public var points: Int
  public var activation: Activation
  /// X, row-major (N × d).
  public var x: [Double]
  /// Y (N).
  public var y: [Double]
  /// W₀ at initialisation, row-major (d × n).
  public var w0: [Double]
  /// W₁ at initialisation (n).
  public var w1: [Double]

  /// Draws W₀, W₁, X and Y (in that order) from `seed`.
  public init(
    inputs: Int = 16, width: Int = 16, points: Int? = nil, activation: Activation = .tanh,
    seed: UInt64 = 0
  ) {
    self.inputs = inputs
    self.width = width
    self.points = points ?? (inputs * width + width)
    self.activation = activation
    var rng = SplittableRandom(seed: seed)
    w0 = (0..<(inputs * width)).map { _ in rng.nextNormal() }
    w1 = (0..<width).map { _ in rng.nextNormal() }
    x = (0..<(self.points * inputs)).map { _ in rng.nextNormal() }
    y = (0..<self.points).map { _ in rng.nextNormal() }
  }

  /// The loss `mean((ŷ − Y)²)` at the given weights.
  public func loss(w0: [Double], w1: [Double]) -> Double {
    lossAndGradients(w0: w0, w1: w1, wantGradients: false).loss
  }

  /// The loss and its gradients with respect to W₀ and W₁ (hand-written back-propagation:
  /// `r = ŷ − Y`, `∂L/∂ŷ = 2r/N`, `∂L/∂W₁ = hᵀ(2r/N)/n`,
  /// `∂L/∂A = ((2r/N) W₁ᵀ / n) ⊙ φ′(A)` with `A = √2·XW₀/√d`, `∂L/∂W₀ = (√2/√d) Xᵀ ∂L/∂A`).
  public func lossAndGradients(w0: [Double], w1: [Double], wantGradients: Bool = true) -> (
    loss: Double, w0: [Double], w1: [Double]
  ) {
    let (d, n, count) = (inputs, width, points)
    let scale = 2.0.squareRoot() / Double(d).squareRoot()
    var pre = [Double](repeating: 0, count: count * n)
    for p in 0..<count {
      for j in 0..<n {
        var s = 0.0
        for i in 0..<d { s += x[p * d + i] * w0[i * n + j] }
        pre[p * n + j] = scale * s
      }
    }
    let h = pre.map(activation.value)
    var residual = [Double](repeating: 0, count: count)
    var loss = 0.0
    for p in 0..<count {
      var s = 0.0
      for j in 0..<n { s += h[p * n + j] * w1[j] }
      residual[p] = s / Double(n) - y[p]
      loss += residual[p] * residual[p]
    }
    loss /= Double(count)
    guard wantGradients else { return (loss, [], []) }
    var g1 = [Double](repeating: 0, count: n)
    var g0 = [Double](repeating: 0, count: d * n)
    for p in 0..<count {
      let dy = 2 * residual[p] / Double(count)
      for j in 0..<n {
        g1[j] += h[p * n + j] * dy / Double(n)
        let da = dy * w1[j] / Double(n) * activation.derivative(pre[p * n + j])
        for i in 0..<d { g0[i * n + j] += scale * x[p * d + i] * da }
      }
    }
    return (loss, g0, g1)
  }
}

/// Whether a pixel's training converged (Sohl-Dickstein 2024): the mean of the last 20
/// normalised losses `L_t / L₀` is below 1, a non-finite loss counting as 10⁶.
public enum TrainabilityMeasure {
  /// The per-pixel measure: mean of the last `window` values of `L_t / L₀` (10⁶ for
  /// non-finite ones).
  public static func measure(normalizedLosses: [Double], window: Int = 20) -> Double {
    let tail = normalizedLosses.suffix(window)
    return tail.reduce(0) { $0 + ($1.isFinite ? $1 : 1e6) } / Double(max(tail.count, 1))
  }

  /// Converged iff the measure is below 1.
  public static func converged(_ measure: Double) -> Bool { measure < 1 }
}

/// The straightforward trainer of one pixel (the reference the batched trainer is checked
/// against): full-batch gradient descent `W₀ ← W₀ − η₀ ∂L/∂W₀`, `W₁ ← W₁ − η₁ ∂L/∂W₁` for
/// `steps` steps from the problem's initialisation, no early exit; returns `L_t / L₀` for
/// t = 1 … steps (the loss after each update).
public func trainPixel(
  _ problem: TrainabilityProblem, learningRates eta: (Double, Double), steps: Int
) -> [Double] {
  var w0 = problem.w0
  var w1 = problem.w1
  let initial = problem.loss(w0: w0, w1: w1)
  var normalized: [Double] = []
  normalized.reserveCapacity(steps)
  for _ in 0..<steps {
    let (_, g0, g1) = problem.lossAndGradients(w0: w0, w1: w1)
    for i in w0.indices { w0[i] -= eta.0 * g0[i] }
    for j in w1.indices { w1[j] -= eta.1 * g1[j] }
    normalized.append(problem.loss(w0: w0, w1: w1) / initial)
  }
  return normalized
}

/// Learning-rate pairs `(10^u, 10^v)` at the centres of an r × r grid of pixels over a square
/// view of the (log₁₀ η₀, log₁₀ η₁) plane, given by its centre and width in decades; row-major,
/// η₀ along a row.
public func learningRateGrid(centre: (Double, Double), width: Double, resolution r: Int) -> [(
  Double, Double
)] {
  (0..<(r * r)).map { k in
    let (row, column) = k.quotientAndRemainder(dividingBy: r)
    let u = centre.0 - width / 2 + width * (Double(column) + 0.5) / Double(r)
    let v = centre.1 - width / 2 + width * (Double(row) + 0.5) / Double(r)
    return (Foundation.pow(10, u), Foundation.pow(10, v))
  }
}

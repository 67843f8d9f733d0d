import CTrainability
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

  /// The gain g of the first layer's pre-activation `g·XW₀/√d`: √2 for tanh and ReLU (so the
  /// unit has unit gain at initialisation), 1 for the linear network (the reference notebook's
  /// `identity` has no √2).
  public var gain: Double { activation == .identity ? 1 : 2.0.squareRoot() }

  /// The loss `mean((ŷ − Y)²)` at the given weights.
  public func loss(w0: [Double], w1: [Double]) -> Double {
    lossAndGradients(w0: w0, w1: w1, wantGradients: false).loss
  }

  /// The scaled inputs x̃ = (g/√d)·x (row-major, N × d): the network's pre-activations are
  /// `x̃ W₀`, and every trainer of this problem starts from these same rounded values.
  public var scaledInputs: [Double] {
    let scale = gain / Double(inputs).squareRoot()
    return x.map { scale * $0 }
  }

  /// φ at a pre-activation, with the kernel's tanh (``trainabilityTanh(_:)``) so that every
  /// trainer of this problem computes the same bits on every platform; ReLU as `a > 0 ? a : 0`.
  func activate(_ a: Double) -> Double {
    switch activation {
    case .tanh: return trainabilityTanh(a)
    case .relu: return a > 0 ? a : 0
    case .identity: return a
    default: return activation.value(a)
    }
  }

  /// φ′ from the activation h = φ(a): 1 − h² rounded once for tanh, [h > 0] for ReLU, 1 for
  /// the identity.
  func slope(activated h: Double) -> Double {
    switch activation {
    case .tanh: return (1.0).addingProduct(-h, h)
    case .relu: return h > 0 ? 1 : 0
    default: return 1
    }
  }

  /// The loss over all N points and its gradients with respect to W₀ and W₁ over the points
  /// `gradientPoints` (ascending, repeats counted; nil for all), by hand-written
  /// back-propagation: `A = x̃ W₀`, `r = h W₁ / n − Y`, `∂L/∂ŷ = 2r/B`,
  /// `∂L/∂W₁ = hᵀ(∂L/∂ŷ / n)`, `∂L/∂A = ((∂L/∂ŷ / n) W₁ᵀ) ⊙ φ′(A)`, `∂L/∂W₀ = x̃ᵀ ∂L/∂A`, B the
  /// number of gradient points. Every sum of products is fused (`a·b + c` rounded once, by
  /// `addingProduct`) and runs in ascending order of its index from +0: the arithmetic of the
  /// batched kernel, so the two agree to the bit.
  public func lossAndGradients(
    w0: [Double], w1: [Double], wantGradients: Bool = true, gradientPoints: [Int]? = nil
  ) -> (loss: Double, w0: [Double], w1: [Double]) {
    let (d, n, count) = (inputs, width, points)
    let cx = scaledInputs
    var h = [Double](repeating: 0, count: count * n)
    for p in 0..<count {
      for j in 0..<n {
        var s = 0.0
        for i in 0..<d { s = s.addingProduct(cx[p * d + i], w0[i * n + j]) }
        h[p * n + j] = activate(s)
      }
    }
    var residual = [Double](repeating: 0, count: count)
    var loss = 0.0
    for p in 0..<count {
      var s = 0.0
      for j in 0..<n { s = s.addingProduct(h[p * n + j], w1[j]) }
      residual[p] = s / Double(n) - y[p]
      loss = loss.addingProduct(residual[p], residual[p])
    }
    loss /= Double(count)
    guard wantGradients else { return (loss, [], []) }
    let chosen = gradientPoints ?? Array(0..<count)
    var g1 = [Double](repeating: 0, count: n)
    var g0 = [Double](repeating: 0, count: d * n)
    for p in chosen {
      let dyn = 2 * residual[p] / Double(chosen.count) / Double(n)
      for j in 0..<n {
        g1[j] = g1[j].addingProduct(h[p * n + j], dyn)
        let da = dyn * w1[j] * slope(activated: h[p * n + j])
        for i in 0..<d { g0[i * n + j] = g0[i * n + j].addingProduct(cx[p * d + i], da) }
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
  trainPixel(problem, member: TrainabilityMember(eta0: eta.0, eta1: eta.1), steps: steps)
}

/// The straightforward trainer of one member of any variant: the member's offset added to W₀
/// at the start and after every update, gradients over the minibatch `schedule` (step-major, `batch` points per
/// step; nil for full batch), and spectral control of W₀ with σ_max(W₀) and its singular
/// vectors from power iteration (50 steps from the normalised all-ones vector at the start,
/// one warm-started step after each update). Returns `L_t / L₀` for t = 1 … steps.
public func trainPixel(
  _ problem: TrainabilityProblem, member: TrainabilityMember, steps: Int,
  schedule: [Int32]? = nil, batch: Int = 0, spectral: TrainabilitySpectralControl = .none
) -> [Double] {
  let (d, n) = (problem.inputs, problem.width)
  let drifts = member.offset != 0
  var w0 = drifts ? problem.w0.map { $0 + member.offset } : problem.w0
  var w1 = problem.w1
  var u = [Double](repeating: 1 / Double(d).squareRoot(), count: d)
  var v = [Double](repeating: 0, count: n)
  var sigma = 0.0
  // v ← W₀ᵀu/‖·‖, u ← W₀v/‖·‖, then σ = uᵀW₀v.
  func powerIteration(_ iterations: Int) {
    for _ in 0..<iterations {
      v = (0..<n).map { j in
        var s = 0.0
        for i in 0..<d { s += w0[i * n + j] * u[i] }
        return s
      }
      let vNorm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      v = v.map { $0 / vNorm }
      u = (0..<d).map { i in
        var s = 0.0
        for j in 0..<n { s += w0[i * n + j] * v[j] }
        return s
      }
      let uNorm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
      u = u.map { $0 / uNorm }
    }
    sigma = 0
    for i in 0..<d {
      var row = 0.0
      for j in 0..<n { row += w0[i * n + j] * v[j] }
      sigma += u[i] * row
    }
  }
  // The W₀ the network uses.
  func used() -> [Double] {
    guard case .normalization(let target) = spectral else { return w0 }
    return w0.map { target * $0 / sigma }
  }
  func points(_ step: Int) -> [Int]? {
    schedule.map { s in (0..<batch).map { Int(s[step * batch + $0]) } }
  }
  if spectral != .none { powerIteration(50 + 1) }
  let initial = problem.loss(w0: used(), w1: w1)
  var normalized: [Double] = []
  normalized.reserveCapacity(steps)
  for step in 0..<steps {
    var (_, g0, g1) = problem.lossAndGradients(w0: used(), w1: w1, gradientPoints: points(step))
    switch spectral {
    case .none: break
    case .penalty(let strength, let target):
      let c = 2 * strength * (sigma - target)
      for i in 0..<d { for j in 0..<n { g0[i * n + j] += c * u[i] * v[j] } }
    case .normalization(let target):
      let scaled = used()
      let c = zip(g0, scaled).reduce(0.0) { $0 + $1.0 * $1.1 } / target
      for i in 0..<d {
        for j in 0..<n { g0[i * n + j] = target / sigma * (g0[i * n + j] - c * u[i] * v[j]) }
      }
    }
    for i in w0.indices { w0[i] -= member.eta0 * g0[i] }
    for j in w1.indices { w1[j] -= member.eta1 * g1[j] }
    if drifts { for i in w0.indices { w0[i] += member.offset } }
    if spectral != .none { powerIteration(1) }
    normalized.append(problem.loss(w0: used(), w1: w1) / initial)
  }
  return normalized
}

/// tanh as every trainer of the trainability experiment computes it (the vectorisable form of
/// the batched kernel: e/(e + 2) with e = expm1(2x), x clamped to [−20, 20]; within 3 ulp of
/// tanh, NaN for NaN, and the same on every platform).
public func trainabilityTanh(_ x: Double) -> Double { crit_trainability_tanh(x) }

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

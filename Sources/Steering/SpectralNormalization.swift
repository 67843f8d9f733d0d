import Autodiff
import Tensors

/// Spectral normalisation as PyTorch's `torch.nn.utils.parametrizations.spectral_norm`
/// defines it (Miyato, Kataoka, Koyama & Yoshida 2018, *ICLR*): the layer computes with
/// `W_SN = W/σ`, `σ = uᵀ W v`, where `u` and `v` are persisted estimates of the top singular
/// vectors.
///
/// - Start: `u`, `v` drawn standard normal and normalised, then 15 power iterations
///   (``warmUp(_:)``, at the first training step).
/// - Training step: `powerIterations` (PyTorch's `n_power_iterations`, default 1) iterations
///   `u ← Wv/max(‖Wv‖, ε)`, `v ← Wᵀu/max(‖Wᵀu‖, ε)` with ε = 10⁻¹², then `σ = uᵀWv`.
/// - Evaluation: `σ = uᵀWv` with the stored vectors, no iteration.
///
/// `u` and `v` are constants for differentiation, so `∂σ/∂W = u vᵀ` and the gradient of a loss
/// `L(W/σ)` with respect to the raw `W` is `G/σ − (⟨G, W⟩/σ²) u vᵀ`, `G = ∂L/∂W_SN`.
/// Arithmetic on the vectors is in `Double`.
public struct SpectralNormalization: Sendable {
  /// Power iterations per training step.
  public var powerIterations: Int
  /// The persisted left and right vectors (empty until the first use draws them).
  public private(set) var u: [Double]
  public private(set) var v: [Double]
  let seed: UInt64

  /// PyTorch's ε in the normalisation of the power iteration's vectors.
  public static let epsilon = 1e-12
  /// Iterations run when the vectors are first drawn (PyTorch's registration).
  public static let warmUpIterations = 15

  /// Vectors drawn from `seed` at the first use.
  public init(powerIterations: Int = 1, seed: UInt64) {
    precondition(powerIterations >= 1, "spectral normalisation needs at least one iteration")
    self.powerIterations = powerIterations
    self.seed = seed
    u = []
    v = []
  }

  /// Given starting vectors (used as they are: no warm-up).
  public init(u: [Double], v: [Double], powerIterations: Int = 1) {
    precondition(powerIterations >= 1, "spectral normalisation needs at least one iteration")
    self.powerIterations = powerIterations
    self.u = u
    self.v = v
    seed = 0
  }

  /// Draws the vectors for a `rows × columns` weight (when not yet drawn for that shape)
  /// and runs the 15 warm-up iterations.
  public mutating func warmUp<S: TensorScalar>(_ w: Tensor<S>) {
    guard u.count != w.rows || v.count != w.columns else { return }
    var rng = SplittableRandom(seed: seed)
    u = Self.normalized((0..<w.rows).map { _ in rng.nextNormal() })
    v = Self.normalized((0..<w.columns).map { _ in rng.nextNormal() })
    iterate(w, times: Self.warmUpIterations)
  }

  /// `count` power iterations on `w`, updating `u` and `v`.
  public mutating func iterate<S: TensorScalar>(_ w: Tensor<S>, times count: Int) {
    let (rows, columns) = (w.rows, w.columns)
    w.withUnsafeBufferPointer { a in
      for _ in 0..<count {
        var left = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
          var sum = 0.0
          for j in 0..<columns { sum += Double(a[i * columns + j]) * v[j] }
          left[i] = sum
        }
        u = Self.normalized(left)
        var right = [Double](repeating: 0, count: columns)
        for i in 0..<rows {
          let ui = u[i]
          for j in 0..<columns { right[j] += Double(a[i * columns + j]) * ui }
        }
        v = Self.normalized(right)
      }
    }
  }

  /// `σ = uᵀ W v` with the stored vectors.
  public func sigma<S: TensorScalar>(_ w: Tensor<S>) -> Double {
    precondition(u.count == w.rows && v.count == w.columns, "vectors do not fit \(w.shape)")
    return w.withUnsafeBufferPointer { a in
      var total = 0.0
      for i in 0..<w.rows {
        var row = 0.0
        for j in 0..<w.columns { row += Double(a[i * w.columns + j]) * v[j] }
        total += u[i] * row
      }
      return total
    }
  }

  /// A training step's `W/σ` as a differentiable node: warm-up at the first call, then
  /// `powerIterations` iterations, then `σ = uᵀWv` with `u`, `v` held constant.
  public mutating func training<S>(_ w: Variable<S>) -> Variable<S> {
    warmUp(w.value)
    iterate(w.value, times: powerIterations)
    return w / sigmaNode(w)
  }

  /// Evaluation's `W/σ` with the stored vectors (no iteration).
  public func evaluation<S: TensorScalar>(_ w: Tensor<S>) -> Tensor<S> {
    w * S(1 / sigma(w))
  }

  /// `σ = uᵀWv` as a node whose pullback is `g·u vᵀ`.
  func sigmaNode<S>(_ w: Variable<S>) -> Variable<S> {
    singularValueNode(w, sigma: sigma(w.value), u: u, v: v)
  }

  static func normalized(_ x: [Double]) -> [Double] {
    let length = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let divisor = max(length, epsilon)
    return x.map { $0 / divisor }
  }
}

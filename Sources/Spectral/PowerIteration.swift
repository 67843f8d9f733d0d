import Tensors

/// The top singular triplet `(σ, u, v)` of a matrix, with `W v = σ u` and `Wᵀ u = σ v`.
public struct TopSingularTriplet: Sendable {
  public var sigma: Double
  /// Left singular vector, length `rows`.
  public var u: [Double]
  /// Right singular vector, length `columns`.
  public var v: [Double]
  /// Iterations the estimate took.
  public var iterations: Int
}

/// Top singular value by power iteration on `WᵀW`, with a convergence tolerance and a warm
/// start from the previous call's left vector (persisted in this value across training
/// steps, as spectral normalisation does).
///
/// One iteration: `v ← Wᵀu/‖Wᵀu‖`, `u ← Wv/‖Wv‖`, `σ = ‖Wv‖`. It stops when the triplet's
/// residual `‖Wᵀu − σv‖` is at most `tolerance·σ` (then σ is within about
/// `tolerance²·σ/2` of the singular value it approximates), or after `maximumIterations`.
/// A residual test, unlike a test on the change of σ, does not stop early while the vectors
/// still rotate slowly (σ₂ ≈ σ₁). Arithmetic is in `Double`. Convergence is geometric with
/// ratio `(σ₂/σ₁)²` (Golub & Van Loan, *Matrix Computations*, §8.2.1).
public struct PowerIteration: Sendable {
  public var tolerance: Double
  public var maximumIterations: Int
  /// The persisted left singular vector (empty before the first call).
  public private(set) var u: [Double] = []
  /// Iterations used by each call so far.
  public private(set) var iterationHistory: [Int] = []

  /// A cold start draws `u` from `seed`.
  public init(tolerance: Double = 1e-6, maximumIterations: Int = 5000, seed: UInt64 = 0) {
    self.tolerance = tolerance
    self.maximumIterations = maximumIterations
    self.seed = seed
  }

  let seed: UInt64

  /// Estimates the top singular triplet of `w`, warm-started from the previous call.
  public mutating func estimate<S: TensorScalar>(_ w: Tensor<S>) -> TopSingularTriplet {
    precondition(w.rank == 2, "power iteration needs a matrix, got \(w.shape)")
    let m = w.rows
    let n = w.columns
    let a = Tensor<Double>(w)
    if u.count != m {
      var rng = SplittableRandom(seed: seed)
      u = (0..<m).map { _ in rng.nextNormal() }
      normalize(&u)
    }
    var left = Tensor<Double>(shape: [1, m], scalars: u)
    var right = Tensor<Double>.zeros([1, n])
    var product = Tensor<Double>.zeros([1, n])
    var v: [Double] = []
    var sigma = 0.0
    var iterations = 0
    while iterations < maximumIterations {
      gemm(left, a, into: &product, beta: 0)  // Wᵀu
      if !v.isEmpty {
        // Converged when (σ, u, v) is a singular triplet to within the tolerance:
        // ‖Wᵀu − σv‖ ≤ tolerance·σ (Wv = σu holds by construction).
        var residual = 0.0
        for j in 0..<n {
          let r = product[flat: j] - sigma * v[j]
          residual += r * r
        }
        if residual.squareRoot() <= tolerance * sigma { break }
      }
      iterations += 1
      v = product.scalars
      if normalize(&v) == 0 { break }  // W = 0 or u ⟂ range(W)
      right = Tensor(shape: [1, n], scalars: v)
      gemm(right, a, into: &left, transposeB: true, beta: 0)  // Wv
      var next = left.scalars
      sigma = normalize(&next)
      left = Tensor(shape: [1, m], scalars: next)
    }
    u = left.scalars
    iterationHistory.append(iterations)
    return TopSingularTriplet(sigma: sigma, u: u, v: right.scalars, iterations: iterations)
  }

  /// Scales `x` to unit length and returns its former length (0 leaves `x` unchanged).
  @discardableResult
  func normalize(_ x: inout [Double]) -> Double {
    let length = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if length > 0 { for i in x.indices { x[i] /= length } }
    return length
  }
}

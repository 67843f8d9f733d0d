import RealModule
import Tensors

/// Summary statistics of a layer's singular spectrum `σ₁ ≥ σ₂ ≥ … ≥ σ_k`.
///
/// - stable rank `‖W‖²_F/‖W‖²₂ = Σσ_i²/σ₁²` (Rudelson & Vershynin 2007);
/// - effective rank `exp(H)`, `H = −Σ p_i log p_i`, `p_i = σ_i/Σσ_j` (Roy & Vetterli 2007);
/// - condition number `σ₁/σ_k`;
/// - rank–size slope: the least-squares slope of `log σ_i` on `log i` over the non-zero
///   singular values (a Zipf-like exponent; 0 for a flat spectrum).
public struct SpectrumStatistics: Codable, Sendable, Equatable {
  public var sigmaMax: Double
  public var sigmaMin: Double
  public var frobeniusNorm: Double
  public var stableRank: Double
  public var effectiveRank: Double
  public var conditionNumber: Double
  public var rankSizeSlope: Double

  /// Statistics of the given singular values (any order; zeros allowed).
  public init(singularValues: [Double]) {
    let s = singularValues.sorted(by: >)
    let top = s.first ?? 0
    sigmaMax = top
    sigmaMin = s.last ?? 0
    let squares = s.reduce(0) { $0 + $1 * $1 }
    frobeniusNorm = squares.squareRoot()
    stableRank = top > 0 ? squares / (top * top) : 0
    let total = s.reduce(0, +)
    var entropy = 0.0
    if total > 0 {
      for value in s where value > 0 {
        let p = value / total
        entropy -= p * Double.log(p)
      }
    }
    effectiveRank = Double.exp(entropy)
    conditionNumber = sigmaMin > 0 ? top / sigmaMin : .infinity
    let positive = s.enumerated().filter { $0.element > 0 }
    rankSizeSlope = leastSquaresSlope(
      x: positive.map { Double.log(Double($0.offset + 1)) },
      y: positive.map { Double.log($0.element) })
  }
}

/// Every singular value of `w`, descending (LAPACK `gesdd` in double precision).
public func fullSpectrum<S: TensorScalar>(_ w: Tensor<S>) throws -> [Double] {
  try singularValues(of: Tensor<Double>(w))
}

/// Exact top singular value (LAPACK), for small matrices and for checking power iteration.
public func exactSigmaMax<S: TensorScalar>(_ w: Tensor<S>) throws -> Double {
  try fullSpectrum(w).first ?? 0
}

/// Ordinary least-squares slope of `y` on `x` (0 when `x` has no spread).
public func leastSquaresSlope(x: [Double], y: [Double]) -> Double {
  leastSquaresLine(x: x, y: y).slope
}

/// Least-squares line `y = a + b·x` with the standard error of the slope,
/// `SE(b) = √(Σr²/(n−2) / Σ(x − x̄)²)`.
public struct LeastSquaresLine: Codable, Sendable, Equatable {
  public var intercept: Double
  public var slope: Double
  public var slopeStandardError: Double
}

/// Fits `y = a + b·x` by least squares.
public func leastSquaresLine(x: [Double], y: [Double]) -> LeastSquaresLine {
  precondition(x.count == y.count, "x and y differ in length")
  let n = Double(x.count)
  guard x.count >= 2 else {
    return LeastSquaresLine(intercept: y.first ?? 0, slope: 0, slopeStandardError: .nan)
  }
  let mx = x.reduce(0, +) / n
  let my = y.reduce(0, +) / n
  var sxx = 0.0
  var sxy = 0.0
  for (xi, yi) in zip(x, y) {
    sxx += (xi - mx) * (xi - mx)
    sxy += (xi - mx) * (yi - my)
  }
  guard sxx > 0 else { return LeastSquaresLine(intercept: my, slope: 0, slopeStandardError: .nan) }
  let b = sxy / sxx
  let a = my - b * mx
  let residuals = zip(x, y).reduce(0) { $0 + ($1.1 - a - b * $1.0) * ($1.1 - a - b * $1.0) }
  let se = x.count > 2 ? (residuals / (n - 2) / sxx).squareRoot() : .nan
  return LeastSquaresLine(intercept: a, slope: b, slopeStandardError: se)
}

import NN
import RealModule

/// Mean-field signal propagation through a deep random network
/// `z^l = W^l φ(z^{l−1}) + b^l`, `W_ij ~ N(0, σ_w²/N)`, `b_i ~ N(0, σ_b²)`, in the infinite-width
/// limit (Poole et al. 2016, arXiv:1606.05340; Schoenholz et al. 2017, arXiv:1611.01232):
///
/// - length map `q^l = σ_w² E[φ(√q^{l−1} z)²] + σ_b²` and its fixed point `q*`;
/// - `χ₁ = σ_w² E[φ′(√q* z)²]`, the mean squared singular value of a layer's Jacobian: χ₁ < 1
///   ordered, χ₁ > 1 chaotic, χ₁ = 1 the edge of chaos;
/// - correlation map `c^l = (σ_w² E[φ(u₁)φ(u₂)] + σ_b²)/q*` with `u₁ = √q* z₁`,
///   `u₂ = √q* (c z₁ + √(1−c²) z₂)`, and its stable fixed point `c*`;
/// - depth scales `ξ_q⁻¹ = −ln(χ₁ + σ_w² E[φ″(√q* z) φ(√q* z)])` and
///   `ξ_c⁻¹ = −ln(σ_w² E[φ′(u₁) φ′(u₂)])` at `c*` (infinite at the critical line).
///
/// One-dimensional expectations (`q*`, χ₁, ξ_q) are computed by adaptive Gauss–Kronrod
/// quadrature on the integrand's own scale (``scaledGaussianExpectation(scale:_:)``), accurate to
/// about 10⁻¹³ whatever `q*` — a fixed Gauss–Hermite rule is not once `φ(√q z)` varies faster
/// than the density, as tanh's does for large σ_w² — unless a fixed rule is passed as
/// `quadrature` (faster, for grids over small σ_w²). The two-dimensional integrals of the
/// correlation map use the Gauss–Hermite product rule `planeQuadrature`. ReLU, leaky ReLU and
/// the identity have closed forms (their kinks would slow any quadrature).
public struct MeanField: Sendable {
  /// The largest σ_w² and σ_b² the commands accept: q*, χ₁ and the depth scales are tested
  /// within 10⁻⁶ (relative) of a 40-digit reference up to σ_w² = 10⁶.
  public static let maximumVariance = 1e6

  public var activation: Activation
  /// σ_w².
  public var weightVariance: Double
  /// σ_b².
  public var biasVariance: Double
  /// A fixed rule for the one-dimensional expectations (`nil`: adaptive).
  public var quadrature: GaussianQuadrature?
  /// The rule for the two-dimensional integrals of the correlation map.
  public var planeQuadrature: GaussianQuadrature

  public init(
    activation: Activation, weightVariance: Double, biasVariance: Double,
    quadrature: GaussianQuadrature? = nil,
    planeQuadrature: GaussianQuadrature = GaussianQuadrature(points: 81)
  ) {
    self.activation = activation
    self.weightVariance = weightVariance
    self.biasVariance = biasVariance
    self.quadrature = quadrature
    self.planeQuadrature = planeQuadrature
  }

  /// Slope of the negative part for piecewise-linear activations (ReLU 0, leaky ReLU 0.01,
  /// identity 1), or `nil`.
  var piecewiseLinearSlope: Double? {
    switch activation {
    case .relu: return 0
    case .leakyRelu: return 0.01
    case .identity: return 1
    default: return nil
    }
  }

  /// `E[h(√q z)]` for z ~ N(0, 1): by the fixed rule if one was given, else adaptively.
  func expectation(length q: Double, _ h: (Double) -> Double) -> Double {
    let s = q.squareRoot()
    if let quadrature { return quadrature.expectation { z in h(s * z) } }
    if s == 0 { return h(0) }
    return scaledGaussianExpectation(scale: s, h)
  }

  /// `E[φ(√q z)²]`.
  public func secondMoment(_ q: Double) -> Double {
    if let a = piecewiseLinearSlope { return q * (1 + a * a) / 2 }
    return expectation(length: q) { x in
      let v = activation.value(x)
      return v * v
    }
  }

  /// The length map `q ↦ σ_w² E[φ(√q z)²] + σ_b²`.
  public func lengthMap(_ q: Double) -> Double {
    weightVariance * secondMoment(q) + biasVariance
  }

  /// The fixed point `q*` the length map converges to from any `q > 0` (`.infinity` when the
  /// length grows without bound, e.g. ReLU with σ_w² ≥ 2). Where 0 is a fixed point but
  /// unstable (tanh with σ_b = 0, σ_w² > 1), the positive one.
  public var fixedPointLength: Double {
    if let a = piecewiseLinearSlope {
      let gain = weightVariance * (1 + a * a) / 2
      if gain >= 1 { return biasVariance == 0 && gain == 1 ? 0 : .infinity }
      return biasVariance / (1 - gain)
    }
    func excess(_ q: Double) -> Double { lengthMap(q) - q }
    var low = 0.0
    if excess(0) <= 0 {
      // 0 is a fixed point; a positive one exists when the map rises above the diagonal.
      low = 1e-12
      if excess(low) <= 0 { return 0 }
    }
    var high = 1.0
    while excess(high) > 0 {
      high *= 2
      // Bounded activations have q* ≤ σ_w² sup φ² + σ_b², so only an unbounded one gets here.
      if high > 1e300 { return .infinity }
    }
    for _ in 0..<200 {
      let mid = (low + high) / 2
      if excess(mid) > 0 { low = mid } else { high = mid }
      if high - low <= 1e-15 * high { break }
    }
    return (low + high) / 2
  }

  /// `χ₁ = σ_w² E[φ′(√q z)²]` at length `q` (at `q*` by default).
  public func chi1(q: Double? = nil) -> Double {
    if let a = piecewiseLinearSlope { return weightVariance * (1 + a * a) / 2 }
    return weightVariance
      * expectation(length: q ?? fixedPointLength) { x in
        let d = activation.derivative(x)
        return d * d
      }
  }

  /// The correlation map `c ↦ c^{l+1}` at length `q` (at `q*` by default).
  public func correlationMap(_ c: Double, q: Double? = nil) -> Double {
    let q = q ?? fixedPointLength
    let c = min(1, max(-1, c))
    if activation == .relu {
      // Arc-cosine kernel of degree 1 (Cho & Saul 2009).
      let cross =
        q / (2 * Double.pi) * ((1 - c * c).squareRoot() + (Double.pi - Double.acos(c)) * c)
      return (weightVariance * cross + biasVariance) / q
    }
    if activation == .identity { return (weightVariance * q * c + biasVariance) / q }
    let s = q.squareRoot()
    let orthogonal = (1 - c * c).squareRoot()
    let cross = planeQuadrature.expectation { z1, z2 in
      activation.value(s * z1) * activation.value(s * (c * z1 + orthogonal * z2))
    }
    return (weightVariance * cross + biasVariance) / q
  }

  /// The stable fixed point `c*` of the correlation map, by iteration from `c = 0` (1 in the
  /// ordered phase; below 1 in the chaotic phase).
  public var fixedPointCorrelation: Double {
    let q = fixedPointLength
    guard q.isFinite, q > 0 else { return 1 }
    var c = 0.0
    for _ in 0..<20_000 {
      let next = correlationMap(c, q: q)
      if abs(next - c) < 1e-13 { return next }
      c = next
    }
    return c
  }

  /// `E[φ″(√q z) φ(√q z)]` (0 for the piecewise-linear activations: φ″ is a point mass where
  /// φ = 0).
  func curvatureMoment(_ q: Double) -> Double {
    if piecewiseLinearSlope != nil { return 0 }
    return expectation(length: q) { x in secondDerivative(activation, x) * activation.value(x) }
  }

  /// The depth scales `(ξ_q, ξ_c)` over which the length and the correlation approach their
  /// fixed points; `.infinity` where the relevant slope is 1 (ξ_c on the critical line).
  public var depthScales: (length: Double, correlation: Double) {
    let q = fixedPointLength
    let chi = chi1(q: q)
    let lengthSlope = chi + weightVariance * curvatureMoment(q)
    let c = fixedPointCorrelation
    let correlationSlope: Double
    if c >= 1 - 1e-12 {
      correlationSlope = chi
    } else {
      let s = q.squareRoot()
      let orthogonal = (1 - c * c).squareRoot()
      correlationSlope =
        weightVariance
        * planeQuadrature.expectation { z1, z2 in
          activation.derivative(s * z1) * activation.derivative(s * (c * z1 + orthogonal * z2))
        }
    }
    func scale(_ slope: Double) -> Double {
      slope >= 1 || slope <= 0 ? (slope == 1 ? .infinity : .nan) : -1 / Double.log(slope)
    }
    return (scale(lengthSlope), scale(correlationSlope))
  }
}

/// The critical weight variance `σ_w²*(σ_b²)` at which χ₁ = 1 (the order–chaos transition),
/// by bisection on σ_w² (χ₁ grows with σ_w² at fixed σ_b²) to 10⁻¹² relative.
public func criticalWeightVariance(
  activation: Activation, biasVariance: Double, quadrature: GaussianQuadrature? = nil
) -> Double {
  func chi(_ w: Double) -> Double {
    MeanField(
      activation: activation, weightVariance: w, biasVariance: biasVariance,
      quadrature: quadrature
    ).chi1()
  }
  var low = 1e-6
  var high = 1.0
  while chi(high) < 1 {
    low = high
    high *= 2
    if high > 1e6 { return .infinity }
  }
  for _ in 0..<200 {
    let mid = (low + high) / 2
    if chi(mid) < 1 { low = mid } else { high = mid }
    if high - low <= 1e-13 * high { break }
  }
  return (low + high) / 2
}

/// φ″(x) in double precision (0 almost everywhere for piecewise-linear activations).
func secondDerivative(_ activation: Activation, _ x: Double) -> Double {
  switch activation {
  case .relu, .leakyRelu, .identity: return 0
  case .tanh:
    let t = Double.tanh(x)
    return -2 * t * (1 - t * t)
  case .erf: return -4 / Double.pi.squareRoot() * x * Double.exp(-x * x)
  case .sigmoid:
    let s = 1 / (1 + Double.exp(-x))
    return s * (1 - s) * (1 - 2 * s)
  case .gelu:
    return Double.exp(-x * x / 2) / (2 * Double.pi).squareRoot() * (2 - x * x)
  }
}

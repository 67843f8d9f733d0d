import RealModule

/// Student's t distribution with `ν` degrees of freedom.
///
/// `F(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½)` for `t ≥ 0` (and symmetry), with `I_x(a, b)` the
/// regularised incomplete beta function evaluated by its continued fraction (modified Lentz
/// method; Press et al., *Numerical Recipes*, 3rd ed., §6.4). Quantiles invert `F` by
/// bisection to machine precision.
public struct StudentT: Sendable {
  public var degreesOfFreedom: Double

  public init(degreesOfFreedom: Double) {
    precondition(degreesOfFreedom > 0, "degrees of freedom must be positive")
    self.degreesOfFreedom = degreesOfFreedom
  }

  /// `P(T ≤ t)`.
  public func cdf(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    let nu = degreesOfFreedom
    let tail = 0.5 * regularizedIncompleteBeta(a: nu / 2, b: 0.5, x: nu / (nu + t * t))
    return t >= 0 ? 1 - tail : tail
  }

  /// `P(|T| ≥ |t|)`: the two-sided p-value of a t statistic.
  public func twoSidedPValue(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    let nu = degreesOfFreedom
    return regularizedIncompleteBeta(a: nu / 2, b: 0.5, x: nu / (nu + t * t))
  }

  /// The `p`-quantile, `F⁻¹(p)`.
  public func quantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "quantile level must be in (0, 1), got \(p)")
    if p == 0.5 { return 0 }
    if p < 0.5 { return -quantile(1 - p) }
    var low = 0.0
    var high = 1.0
    while cdf(high) < p { high *= 2 }
    for _ in 0..<200 {
      let mid = (low + high) / 2
      if cdf(mid) < p { low = mid } else { high = mid }
      if high - low <= 1e-15 * high { break }
    }
    return (low + high) / 2
  }
}

/// The regularised incomplete beta function `I_x(a, b)`.
public func regularizedIncompleteBeta(a: Double, b: Double, x: Double) -> Double {
  precondition(a > 0 && b > 0, "I_x(a, b) needs a, b > 0")
  if x <= 0 { return 0 }
  if x >= 1 { return 1 }
  let logFront =
    Double.logGamma(a + b) - Double.logGamma(a) - Double.logGamma(b) + a * Double.log(x)
    + b * Double.log(1 - x)
  let front = Double.exp(logFront)
  // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use symmetry otherwise.
  if x < (a + 1) / (a + b + 2) {
    return front * betaContinuedFraction(a: a, b: b, x: x) / a
  }
  return 1 - front * betaContinuedFraction(a: b, b: a, x: 1 - x) / b
}

func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
  let tiny = 1e-300
  var c = 1.0
  var d = 1 - (a + b) * x / (a + 1)
  if abs(d) < tiny { d = tiny }
  d = 1 / d
  var h = d
  for m in 1...10_000 {
    let m = Double(m)
    let m2 = 2 * m
    var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if abs(d) < tiny { d = tiny }
    c = 1 + aa / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    h *= d * c
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if abs(d) < tiny { d = tiny }
    c = 1 + aa / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) < 1e-16 { break }
  }
  return h
}

import RealModule

/// Hedges' g: the standardised mean difference with the small-sample bias removed
/// (Hedges 1981, *J. Educ. Statist.* 6:107–128).
///
/// `d = (x̄_a − x̄_b)/s_p`, `s_p² = ((n_a − 1)s_a² + (n_b − 1)s_b²)/(n_a + n_b − 2)`, and
/// `g = J(ν)·d` with the exact correction `J(ν) = Γ(ν/2)/(√(ν/2)·Γ((ν − 1)/2))`,
/// `ν = n_a + n_b − 2` (≈ `1 − 3/(4ν − 1)`). Non-finite values are left out; NaN for fewer than
/// two values per sample or zero spread.
public func hedgesG(_ a: [Double], _ b: [Double]) -> Double {
  let a = a.filter(\.isFinite)
  let b = b.filter(\.isFinite)
  guard a.count >= 2, b.count >= 2 else { return .nan }
  let (meanA, varianceA) = meanAndVariance(a)
  let (meanB, varianceB) = meanAndVariance(b)
  let nu = Double(a.count + b.count - 2)
  let pooled = ((Double(a.count - 1) * varianceA + Double(b.count - 1) * varianceB) / nu)
    .squareRoot()
  guard pooled > 0 else { return .nan }
  let correction =
    Double.exp(
      Double.logGamma(nu / 2) - Double.logGamma((nu - 1) / 2)) / (nu / 2).squareRoot()
  return correction * (meanA - meanB) / pooled
}

/// The integrated autocorrelation time `τ_int = 1 + 2 Σ_{k=1}^{M} ρ(k)` of a series, with
/// Sokal's automatic window: the smallest M with M ≥ c·τ_int(M), c = 5 (Sokal 1997, "Monte
/// Carlo methods in statistical mechanics"; Madras & Sokal 1988). Critical slowing down shows
/// as a growing τ. For an AR(1) process with coefficient φ, `τ_int = (1 + φ)/(1 − φ)`.
public func integratedAutocorrelationTime(_ series: [Double], window c: Double = 5) -> Double? {
  let n = series.count
  guard n >= 16 else { return nil }
  let mean = series.reduce(0, +) / Double(n)
  let centred = series.map { $0 - mean }
  let variance = centred.reduce(0) { $0 + $1 * $1 } / Double(n)
  guard variance > 0 else { return nil }
  var tau = 1.0
  for k in 1..<(n / 2) {
    var sum = 0.0
    for i in 0..<(n - k) { sum += centred[i] * centred[i + k] }
    tau += 2 * sum / (Double(n) * variance)
    if Double(k) >= c * tau { return tau }
  }
  return tau
}

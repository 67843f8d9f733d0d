import RealModule

/// A continuous power-law fit of a sample's tail by the method of Clauset, Shalizi & Newman
/// (2009, *SIAM Review* 51:661):
///
/// - for a lower cut-off `x_min`, the maximum-likelihood exponent of
///   `p(x) = (α − 1)/x_min·(x/x_min)^{−α}` on the `n` values ≥ `x_min` is
///   `α̂ = 1 + n/Σ ln(x_i/x_min)`, with standard error `(α̂ − 1)/√n`;
/// - `x_min` is the candidate (each distinct value leaving at least `minimumTail` values) that
///   minimises the Kolmogorov–Smirnov distance `D` between the tail's empirical CDF and the
///   fitted one.
///
/// ``compareWithLognormal()`` is their likelihood-ratio test against a lognormal on the same
/// tail (Vuong's normalised ratio and two-sided p-value).
public struct PowerLawFit: Codable, Sendable, Equatable {
  /// The Kolmogorov–Smirnov distance between the tail's empirical CDF and the fitted one.
  public enum Distance: String, Codable, Sendable, CaseIterable {
    /// `max_i max(|(i+1)/m − F(x_i)|, |F(x_i) − i/m|)`: the supremum over both steps of the
    /// empirical CDF (Clauset et al.).
    case twoSided = "two-sided"
    /// `max_i |F(x_i) − i/m|`: the empirical CDF's lower step only, as the `powerlaw` package
    /// (2.0) and WeightWatcher compute it.
    case lowerStep = "lower-step"
  }

  public var alpha: Double
  public var standardError: Double
  public var xMin: Double
  /// Kolmogorov–Smirnov distance of the fit on the tail.
  public var ksDistance: Double
  /// The values ≥ x_min, ascending.
  public var tail: [Double]

  public var tailCount: Int { tail.count }

  /// Fits the positive finite values of `data`; `xMin` fixes the cut-off instead of choosing it.
  /// `nil` when fewer than `minimumTail` usable values remain. With `distance: .lowerStep` and
  /// `minimumTail: 2` the candidates and distances are the `powerlaw` package's (every distinct
  /// value but the largest). `maximumAlpha` passes over the candidates whose exponent is not
  /// below it, unless every candidate's is (then the smallest distance wins among all): the
  /// powerlaw package's default range α ∈ (0, 3) is `maximumAlpha: 3`.
  public init?(
    _ data: [Double], xMin fixed: Double? = nil, minimumTail: Int = 10,
    distance: Distance = .twoSided, maximumAlpha: Double? = nil
  ) {
    let sorted = data.filter { $0 > 0 && $0.isFinite }.sorted()
    guard sorted.count >= max(2, minimumTail) else { return nil }
    let logs = sorted.map { Double.log($0) }
    // suffix[k] = Σ_{j ≥ k} ln x_j
    var suffix = [Double](repeating: 0, count: sorted.count + 1)
    for k in stride(from: sorted.count - 1, through: 0, by: -1) {
      suffix[k] = suffix[k + 1] + logs[k]
    }
    func fit(from start: Int) -> (alpha: Double, d: Double)? {
      let n = sorted.count - start
      let sumLog = suffix[start] - Double(n) * logs[start]
      guard n >= 2, sumLog > 0 else { return nil }
      let alpha = 1 + Double(n) / sumLog
      var d = 0.0
      for i in 0..<n {
        let model = 1 - Double.exp((1 - alpha) * (logs[start + i] - logs[start]))
        switch distance {
        case .twoSided:
          d = max(
            d, abs(Double(i + 1) / Double(n) - model), abs(model - Double(i) / Double(n)))
        case .lowerStep:
          d = max(d, abs(model - Double(i) / Double(n)))
        }
      }
      return (alpha, d)
    }
    var best: (start: Int, alpha: Double, d: Double)? = nil
    if let fixed {
      guard let start = sorted.firstIndex(where: { $0 >= fixed }), let result = fit(from: start)
      else { return nil }
      best = (start, result.alpha, result.d)
    } else {
      var start = 0
      var bestInRange: (start: Int, alpha: Double, d: Double)? = nil
      while start <= sorted.count - minimumTail {
        if start == 0 || sorted[start] != sorted[start - 1], let result = fit(from: start) {
          if best == nil || result.d < best!.d { best = (start, result.alpha, result.d) }
          if let cap = maximumAlpha, result.alpha < cap,
            bestInRange == nil || result.d < bestInRange!.d
          {
            bestInRange = (start, result.alpha, result.d)
          }
        }
        start += 1
      }
      if let bestInRange { best = bestInRange }
    }
    guard let best else { return nil }
    alpha = best.alpha
    xMin = sorted[best.start]
    ksDistance = best.d
    tail = Array(sorted[best.start...])
    standardError = (alpha - 1) / Double(tail.count).squareRoot()
  }

  /// `ln p(x)` of the fitted power law.
  public func logDensity(_ x: Double) -> Double {
    Double.log(alpha - 1) - Double.log(xMin) - alpha * Double.log(x / xMin)
  }

  /// The likelihood-ratio comparison with a lognormal fitted by maximum likelihood to the same
  /// tail (truncated at x_min): `R = Σ ln(p_pl/p_ln)`, positive favouring the power law;
  /// `normalizedRatio = R/(s√n)` with `s` the standard deviation of the pointwise log ratios, and
  /// the two-sided p-value `erfc(|R|/(s√(2n)))` of the hypothesis that neither is better.
  public func compareWithLognormal() -> (
    ratio: Double, normalizedRatio: Double, pValue: Double, mu: Double, sigma: Double
  ) {
    let logs = tail.map { Double.log($0) }
    let n = Double(tail.count)
    let logMin = Double.log(xMin)
    func lognormalLogDensities(_ mu: Double, _ sigma: Double) -> [Double] {
      let survival = 0.5 * Double.erfc((logMin - mu) / (sigma * 2.0.squareRoot()))
      let normalisation = Double.log(max(survival, 1e-300))
      return logs.map { l in
        let z = (l - mu) / sigma
        return -l - Double.log(sigma) - 0.5 * Double.log(2 * Double.pi) - 0.5 * z * z
          - normalisation
      }
    }
    let meanLog = logs.reduce(0, +) / n
    let sdLog = max(
      (logs.reduce(0) { $0 + ($1 - meanLog) * ($1 - meanLog) } / n).squareRoot(), 1e-3)
    let optimum = nelderMeadMinimum(
      start: [meanLog, Double.log(sdLog)], step: [0.5 * sdLog, 0.3]
    ) { p in
      -lognormalLogDensities(p[0], Double.exp(p[1])).reduce(0, +)
    }
    let mu = optimum.point[0]
    let sigma = Double.exp(optimum.point[1])
    let pointwise = zip(tail.map(logDensity), lognormalLogDensities(mu, sigma)).map { $0 - $1 }
    let ratio = pointwise.reduce(0, +)
    let mean = ratio / n
    let variance = pointwise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    let s = variance.squareRoot()
    return (
      ratio, ratio / (s * n.squareRoot()), Double.erfc(abs(ratio) / (s * (2 * n).squareRoot())),
      mu, sigma
    )
  }
}

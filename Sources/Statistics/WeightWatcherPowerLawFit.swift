import RealModule

/// The power-law fit of WeightWatcher 0.7.7 (Martin & Mahoney; its own fitter, `WWFit`, not the
/// `powerlaw` package), reproduced so that `crit analyze` reads the same α as the field's
/// reference tool on every matrix.
///
/// On the `n` values given (WeightWatcher passes the eigenvalues above 10⁻⁵), sorted
/// ascending as `x₀ ≤ … ≤ x_{n−1}`, every value but the largest is a candidate cut-off, one per
/// index (repeated values are candidates more than once). For the candidate `x_i` with the tail
/// `x_i…x_{n−1}` of `m = n − i` values:
///
/// - **standard fit** (`n ≥ 20`): `α_i = 1 + m/Σ_{j≥i} ln(x_j/x_i)`, and the one-sided
///   Kolmogorov–Smirnov distance `D_i = max_k |1 − (x_{i+k}/x_i)^{1−α_i} − k/m|` (the fitted CDF
///   against the empirical CDF's lower step `k/m` only; `D_i = 1` when `α_i ≤ 1`). The first
///   index of the smallest `D_i` wins.
/// - **small-sample fit** (`n < 20`): candidates need a tail of at least 8; the exponent is the
///   bias-corrected `α_i = 1 + (m − 1)/Σ ln(x_j/x_i)`. The fitter ranks them by
///   `J_i = D_i − 0.868/√m`, but WeightWatcher then takes the smallest `D_i` (candidates not
///   fitted count as `D = 1`), and so does this. With no admissible candidate the whole sample
///   is the tail.
///
/// The standard error is `(α − 1)/√m` (in the small-sample fallback WeightWatcher reports
/// `−1/√n`, computed before the exponent is set; kept so that the numbers agree). A single
/// value has no candidate: the fit fails (`nil`), as there.
public struct WeightWatcherPowerLawFit: Codable, Sendable, Equatable {
  public var alpha: Double
  public var standardError: Double
  public var xMin: Double
  public var ksDistance: Double
  /// The values ≥ x_min, ascending.
  public var tail: [Double]

  public var tailCount: Int { tail.count }

  /// Below this many values WeightWatcher switches to its small-sample fit.
  public static let smallSampleCutoff = 20
  /// The smallest tail the small-sample fit admits.
  public static let smallSampleMinimumTail = 8

  /// Fits `data` (every value is used; the caller filters). `nil` for an empty sample or a
  /// non-finite exponent, where WeightWatcher reports a failed fit.
  public init?(_ data: [Double]) {
    let x = data.sorted()
    let n = x.count
    guard n >= 1, x.allSatisfy(\.isFinite) else { return nil }
    let logs = x.map { Double.log($0) }
    // suffix[i] = Σ_{j ≥ i} ln x_j, summed from the top so that short tails stay exact.
    var suffix = [Double](repeating: 0, count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + logs[i] }
    func distance(from i: Int, alpha: Double) -> Double {
      let m = n - i
      var d = 0.0
      for k in 0..<m {
        let model = 1 - Double.pow(x[i + k] / x[i], 1 - alpha)
        let gap = abs(model - Double(k) / Double(m))
        if gap > d || gap.isNaN { d = gap }
      }
      return d
    }
    guard n >= 2 else { return nil }  // no candidate: WeightWatcher's fit fails
    // One entry per candidate x_0…x_{n−2}, as WeightWatcher's arrays: α (0 where not fitted),
    // D (1 where not fitted) and the standard error (α − 1)/√(n − i).
    var alphas = [Double](repeating: 0, count: n - 1)
    var distances = [Double](repeating: 1, count: n - 1)
    var errors = [Double](repeating: 0, count: n - 1)
    if n < Self.smallSampleCutoff {
      var anyScore = false
      for i in 0...(n - 2) where n - i >= Self.smallSampleMinimumTail {
        let m = Double(n - i)
        let s = suffix[i] - m * logs[i]
        guard s > 1e-12 else { continue }
        alphas[i] = 1 + (m - 1) / s
        guard alphas[i] > 1 else { continue }
        distances[i] = distance(from: i, alpha: alphas[i])
        // The score D − 0.868/√m ranks candidates inside the small-sample fit, but the
        // caller then takes the smallest D, as for the standard fit.
        anyScore = anyScore || (distances[i] - 0.868 / m.squareRoot()).isFinite
      }
      for i in 0..<(n - 1) { errors[i] = (alphas[i] - 1) / Double(n - i).squareRoot() }
      if !anyScore {
        // The whole sample as the tail (its error stays the one computed from α = 0).
        let m = Double(n)
        let s = suffix[0] - m * logs[0]
        if s > 1e-12 {
          alphas[0] = 1 + (m - 1) / s
          distances[0] = distance(from: 0, alpha: alphas[0])
        }
      }
    } else {
      for i in 0...(n - 2) {
        let m = Double(n - i)
        alphas[i] = 1 + m / (suffix[i] - m * logs[i])
        if alphas[i] > 1 { distances[i] = distance(from: i, alpha: alphas[i]) }
        errors[i] = (alphas[i] - 1) / m.squareRoot()
      }
    }
    // numpy's argmin: the first minimum, and a NaN wins outright.
    var chosen = 0
    for i in 1..<(n - 1) where !distances[chosen].isNaN {
      if distances[i] < distances[chosen] || distances[i].isNaN { chosen = i }
    }
    let best = (index: chosen, alpha: alphas[chosen], d: distances[chosen], se: errors[chosen])
    guard !best.alpha.isNaN else { return nil }
    alpha = best.alpha
    standardError = best.se
    xMin = x[best.index]
    ksDistance = best.d
    let cut = x[best.index]
    tail = x.filter { $0 >= cut }
  }
}

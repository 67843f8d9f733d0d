import Foundation
import Statistics

/// WeightWatcher 0.7.7's Marchenko–Pastur fit of a layer's eigenvalue bulk and its spike count
/// (`mp_fit`), reproduced step for step so that the counts agree with the reference tool.
///
/// For `W` of shape `N × M` (`N ≥ M`, aspect ratio `Q = N/M`) and its eigenvalues `λ_i` (the
/// squared singular values):
///
/// 1. the eigenvalues are rescaled to mean 1: `λ̃ = s·λ`, `s = n/Σλ` (`n` eigenvalues);
/// 2. their density is estimated by a linear (triangular) kernel of bandwidth 0.1,
///    `ρ̂(x) = (1/(n h)) Σ_i max(0, 1 − |x − λ̃_i|/h)`, on 1000 points evenly spaced over
///    `[0, max λ̃ + 0.5]`; points where `ρ̂ ≤ 0.01` are left out;
/// 3. σ is chosen to minimise `Σ (ρ_MP(x; Q, σ) − ρ̂(x))²`, with the MP density
///    `ρ_MP = √((λ₊ − x)(x − λ₋))/(2π σ² x/Q)`, `λ± = σ²(1 ± 1/√Q)²` (zero outside), and a
///    penalty residual of 1000 per point when `λ₊` lies below the density's peak or beyond the
///    grid, or `λ₋` above the peak: first over the grid `σ = 0.05σ₀, 0.06σ₀, … < 2σ₀` with
///    `σ₀ = √(max λ̃)/(1 + 1/√Q)`, then refined by SciPy's simplex (``scalarSimplexMinimum``).
///    For a square matrix (`Q = 1`) the fit is to the singular values with the quarter-circle law
///    `ρ_QC = √(4 − x²)/(π σ²)`;
/// 4. the bulk edge is `λ₊ = (σ(1 + 1/√Q))²`, and a spike is an eigenvalue above
///    `λ₊ + √(Q^{−1/2} λ₊^{2/3} M^{−2/3})` (a Tracy–Widom allowance, in the rescaled units).
///
/// `softRank = λ₊/max λ̃`; `bulkMax = λ₊/s` in the eigenvalues' own units.
public struct MarchenkoPasturFit: Codable, Sendable, Equatable {
  /// The fitted σ (rescaled units).
  public var sigma: Double
  /// `s = n/Σλ`, the factor that rescales the eigenvalues to mean 1.
  public var scale: Double
  /// The bulk edge `λ₊` in the eigenvalues' own units.
  public var bulkMax: Double
  /// The spike threshold `λ₊ + √TW` in the eigenvalues' own units.
  public var spikeThreshold: Double
  public var spikes: Int
  /// `λ₊/λ_max` (the MP soft rank).
  public var softRank: Double

  /// Bandwidth of the kernel density estimate.
  public static let bandwidth = 0.1

  /// Fits the eigenvalues of an `n × m` layer (`n ≥ m`). `nil` when there is nothing to fit
  /// (no eigenvalues or all zero), where WeightWatcher reports −1.
  public init?(eigenvalues: [Double], rows n: Int, columns m: Int) {
    guard !eigenvalues.isEmpty, m > 0 else { return nil }
    let total = pairwiseSum(eigenvalues)
    guard total > 0, total.isFinite else { return nil }
    let wScale = Double(eigenvalues.count).squareRoot() / total.squareRoot()
    let scale = wScale * wScale
    let rescaled = eigenvalues.map { scale * $0 }
    let q = Double(n) / Double(m)
    let lambdaMax = rescaled.max()!
    guard let sigma = Self.fitSigma(rescaled, q: q) else { return nil }
    let bulkMax = (sigma * (1 + 1 / q.squareRoot())) * (sigma * (1 + 1 / q.squareRoot()))
    let tracyWidom =
      1 / q.squareRoot() * Foundation.pow(bulkMax, 2.0 / 3) * Foundation.pow(Double(m), -2.0 / 3)
    let threshold = bulkMax + tracyWidom.squareRoot()
    self.sigma = sigma
    self.scale = scale
    spikes = rescaled.filter { $0 > threshold }.count
    softRank = bulkMax / lambdaMax
    self.bulkMax = bulkMax / scale
    spikeThreshold = threshold / scale
  }

  /// Step 3: the grid search and the simplex refinement.
  static func fitSigma(_ values: [Double], q: Double) -> Double? {
    let maximum = values.max()!
    let sigma0 = (maximum / ((1 + 1 / q.squareRoot()) * (1 + 1 / q.squareRoot()))).squareRoot()
    let (start, stop, step) = (0.05 * sigma0, 2.0 * sigma0, 0.01 * sigma0)
    let count = Int(((stop - start) / step).rounded(.up))
    guard count > 0, step > 0, step.isFinite else { return nil }
    let fitted = q == 1 ? values.map { $0.squareRoot() } : values
    let density = KernelDensity(fitted, bandwidth: bandwidth)
    let residual = { (sigma: Double) in density.squaredResidual(sigma: sigma, q: q) }
    // numpy's arange (the grid of `optimize.brute`): start, start + step, then start + i·δ
    // with δ = (start + step) − start.
    let delta = (start + step) - start
    func grid(_ i: Int) -> Double {
      i == 0 ? start : i == 1 ? start + step : start + Double(i) * delta
    }
    var best = (index: 0, value: Double.nan)
    for i in 0..<count {
      let r = residual(grid(i))
      // numpy's argmin: the first minimum; a NaN wins outright.
      if i == 0 || (!best.value.isNaN && (r < best.value || r.isNaN)) { best = (i, r) }
    }
    return scalarSimplexMinimum(start: grid(best.index), residual).point
  }
}

/// The kernel density estimate of step 2 and the residual of step 3.
struct KernelDensity {
  /// Grid points with density above the threshold, and the density there.
  var x: [Double] = []
  var density: [Double] = []
  /// The first grid point at the density's maximum, and the last grid point kept.
  var peak = 0.0
  var last = 0.0

  init(_ values: [Double], bandwidth h: Double) {
    let sorted = values.sorted()
    let n = Double(sorted.count)
    let stop = sorted.last! + 0.5
    let gridStep = stop / 999
    var low = 0
    var best = -Double.infinity
    for k in 0..<1000 {
      let point = k == 999 ? stop : Double(k) * gridStep
      while low < sorted.count && sorted[low] <= point - h { low += 1 }
      var sum = 0.0
      var j = low
      while j < sorted.count && sorted[j] < point + h {
        sum += Swift.max(0, 1 - abs(point - sorted[j]) / h)
        j += 1
      }
      let rho = sum / (n * h)
      guard rho > 0.01 else { continue }
      x.append(point)
      density.append(rho)
      if rho > best {
        best = rho
        peak = point
      }
      last = point
    }
  }

  /// `Σ (ρ_model − ρ̂)²` over the kept grid points (the quarter circle when `q = 1`).
  func squaredResidual(sigma: Double, q: Double) -> Double {
    guard !x.isEmpty else { return 0 }
    var terms = [Double](repeating: 0, count: x.count)
    if q == 1 {
      for k in x.indices {
        let model = finiteOrZero((1 / (Double.pi * sigma * sigma)) * (4 - x[k] * x[k]).squareRoot())
        terms[k] = (model - density[k]) * (model - density[k])
      }
    } else {
      let y = 1 / q
      let upper = (sigma * (1 + (1 / q).squareRoot())) * (sigma * (1 + (1 / q).squareRoot()))
      let lower = (sigma * (1 - (1 / q).squareRoot())) * (sigma * (1 - (1 / q).squareRoot()))
      if upper < peak || upper > last || lower > peak {
        return pairwiseSum([Double](repeating: 1000 * 1000, count: x.count))
      }
      for k in x.indices {
        let value =
          (1 / (2 * Double.pi * sigma * sigma * x[k] * y))
          * ((upper - x[k]) * (x[k] - lower)).squareRoot()
        let model = finiteOrZero(value)
        terms[k] = (model - density[k]) * (model - density[k])
      }
    }
    return pairwiseSum(terms)
  }
}

/// numpy's `nan_to_num`: NaN → 0, ±∞ → ±greatest finite.
func finiteOrZero(_ v: Double) -> Double {
  if v.isNaN { return 0 }
  if v == .infinity { return .greatestFiniteMagnitude }
  if v == -.infinity { return -.greatestFiniteMagnitude }
  return v
}

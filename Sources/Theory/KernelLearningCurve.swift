import Foundation

/// The spectral theory of kernel-regression learning curves (Bordelon, Canatar & Pehlevan
/// 2020, ICML, arXiv:2002.02561; Canatar, Bordelon & Pehlevan 2021, *Nat. Commun.* 12, 2914):
/// the expected test error of kernel ridge regression with ridge λ on P samples, from the
/// kernel's eigenvalues η_k (of its integral operator on the data distribution) and the
/// target's power in each eigenmode, v_k² (the squared coefficient of the target on the k-th
/// orthonormal eigenfunction).
///
/// The renormalised ridge κ solves `κ = λ + κ Σ_k η_k / (P η_k + κ)`; with
/// `γ = Σ_k P η_k² / (P η_k + κ)²`, mode k's error is `E_k = κ² v_k² / ((P η_k + κ)² (1 − γ))`
/// and the test error (without label noise) is `E_g = Σ_k E_k`. Label noise of variance σ²
/// adds `σ² γ / (1 − γ)`. κ(P) is the flowing coupling of the renormalisation picture: it
/// falls as P grows, and modes with `P η_k ≫ κ` are learned.
public struct KernelLearningCurve: Sendable {
  /// Kernel eigenvalues η_k, all positive.
  public var eigenvalues: [Double]
  /// Target power per mode v_k², as many as eigenvalues.
  public var targetPower: [Double]
  /// Ridge λ ≥ 0.
  public var ridge: Double
  /// Label-noise variance σ² ≥ 0.
  public var noiseVariance: Double

  public init(
    eigenvalues: [Double], targetPower: [Double], ridge: Double = 0, noiseVariance: Double = 0
  ) {
    precondition(eigenvalues.count == targetPower.count, "one target power per eigenvalue")
    self.eigenvalues = eigenvalues
    self.targetPower = targetPower
    self.ridge = ridge
    self.noiseVariance = noiseVariance
  }

  /// The theory at one sample count.
  public struct Point: Codable, Sendable, Equatable {
    public var samples: Double
    /// The renormalised ridge κ.
    public var kappa: Double
    /// γ = Σ_k P η_k² / (P η_k + κ)².
    public var gamma: Double
    /// Expected test error E_g (with the noise term).
    public var error: Double
  }

  /// κ for `samples` P > 0: the root of `h(κ) = λ/κ + Σ_k η_k/(P η_k + κ) − 1`, which falls
  /// from +∞ (or from M/P − 1 when λ = 0) to −1, by bisection on log κ. With λ = 0 and
  /// P ≥ M (as many samples as modes) κ is 0: every mode is learned.
  public func kappa(samples p: Double) -> Double {
    func h(_ kappa: Double) -> Double {
      var total = ridge / kappa - 1
      for eta in eigenvalues { total += eta / (p * eta + kappa) }
      return total
    }
    var upper = ridge + eigenvalues.reduce(0, +)
    var lower = upper * 1e-300
    guard upper > 0, h(lower) > 0 else { return 0 }
    // 200 halvings of log κ over at most 690 e-folds reach a relative width of 1e-15.
    for _ in 0..<200 {
      let middle = (lower * upper).squareRoot()
      if h(middle) > 0 { lower = middle } else { upper = middle }
      if upper / lower - 1 < 1e-15 { break }
    }
    return (lower * upper).squareRoot()
  }

  /// The theory at `samples` P.
  public func point(samples p: Double) -> Point {
    let kappa = kappa(samples: p)
    var gamma = 0.0
    var modeError = 0.0
    for (eta, power) in zip(eigenvalues, targetPower) {
      let denominator = p * eta + kappa
      gamma += p * eta * eta / (denominator * denominator)
      modeError += kappa * kappa * power / (denominator * denominator)
    }
    let amplification = 1 / (1 - gamma)
    return Point(
      samples: p, kappa: kappa, gamma: gamma,
      error: amplification * modeError + noiseVariance * gamma * amplification)
  }

  /// The per-mode errors E_k at `samples` P (without the noise term).
  public func modeErrors(samples p: Double) -> [Double] {
    let point = point(samples: p)
    return zip(eigenvalues, targetPower).map { eta, power in
      let denominator = p * eta + point.kappa
      return point.kappa * point.kappa * power / (denominator * denominator * (1 - point.gamma))
    }
  }

  /// Power-law spectra η_k = k^−b and v_k² = k^−a for k = 1…modes: the setting in which the
  /// learning curve falls as P^−min(a − 1, 2b) (Spigler, Geiger & Wyart 2020; Bordelon et al.
  /// 2020).
  public static func powerLaw(
    eigenvalueDecay b: Double, targetDecay a: Double, modes: Int, ridge: Double = 0
  ) -> KernelLearningCurve {
    let ks = (1...modes).map(Double.init)
    return KernelLearningCurve(
      eigenvalues: ks.map { pow($0, -b) }, targetPower: ks.map { pow($0, -a) }, ridge: ridge)
  }
}

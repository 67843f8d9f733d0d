import Foundation

/// Exact overlaps of an erf neuron with a Hermite single-index target, for the order parameters
/// of the sample-complexity protocol (Rubin, Davidovich & Ringel, "Patterns of feature learning
/// and their sample complexity").
///
/// For x ~ N(0, I_d), a unit teacher direction w* and any weight vector w, the pair
/// (u, v) = (w·x, w*·x) is Gaussian with Var u = |w|², Var v = 1, Cov = c = w·w*. Gaussian
/// integration by parts k times (Stein's lemma; He_k(v) e^{−v²/2} = (−d/dv)^k e^{−v²/2}) gives
///
///     E[g(u) He_k(v)] = c^k E[g^{(k)}(u)],
///
/// and with erf^{(k)}(z) = (2/√π)(−1)^{k−1} H_{k−1}(z) e^{−z²} (physicists' Hermite H) and the
/// generating function Σ_m H_m(u) t^m/m! = e^{2ut − t²}, averaged over u ~ N(0, s²):
/// E[H_m(u) e^{−u²}] = (1 + 2s²)^{−1/2} m!/(m/2)! (−1/(1 + 2s²))^{m/2} for even m, 0 for odd m.
/// Hence, for odd k,
///
///     E[erf(w·x) He_k(w*·x)] = (2/√π) (−1)^{(k−1)/2} (k−1)!/((k−1)/2)! · c^k (1 + 2|w|²)^{−k/2},
///
/// and 0 for even k (erf is odd): k = 1 gives 2c/√(π(1 + 2|w|²)), k = 3 gives
/// −4c³/(√π (1 + 2|w|²)^{3/2}).
public enum HermiteOverlap {
  /// E[erf(w·x) He_k(w*·x)] for a neuron with squared norm `squaredNorm` = |w|² and teacher
  /// overlap `overlap` = w·w* (|w*| = 1), k ≥ 0.
  public static func erf(order k: Int, squaredNorm: Double, overlap c: Double) -> Double {
    precondition(k >= 0, "Hermite order must be non-negative")
    if k == 0 { return 0 }  // E[erf(u)] = 0: erf is odd and u symmetric.
    guard k % 2 == 1 else { return 0 }
    let half = (k - 1) / 2
    var ratio = 1.0  // (k − 1)!/((k − 1)/2)!
    if k > 1 { for j in (half + 1)...(k - 1) { ratio *= Double(j) } }
    let sign: Double = half % 2 == 0 ? 1 : -1
    return 2 / Double.pi.squareRoot() * sign * ratio * pow(c, Double(k))
      * pow(1 + 2 * squaredNorm, -Double(k) / 2)
  }

  /// E[He_k(z)²] = k! for z ~ N(0, 1): the norm of the target He_k(w*·x).
  public static func squaredNorm(order k: Int) -> Double {
    (1...max(k, 1)).reduce(1.0) { $0 * Double($1) }
  }
}

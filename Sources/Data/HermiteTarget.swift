/// Single-index targets on Gaussian inputs for the sample-complexity protocol: `y = g(w*·x)`
/// with x ~ N(0, I_d), w* a unit vector, and g a probabilists' Hermite polynomial He_k
/// (orthogonal under N(0, 1), E[He_k²] = k!) or the mixed target `z + ε He₃(z)`, whose linear
/// part a lazy (kernel) learner picks up first and whose cubic part needs feature learning
/// (Rubin, Davidovich & Ringel, "Patterns of feature learning and their sample complexity").
public enum HermiteTarget: Codable, Sendable, Equatable, Hashable {
  /// He_k(z), k ≥ 1.
  case hermite(order: Int)
  /// z + ε He₃(z).
  case mixed(epsilon: Double)

  /// He_k(z) by the recurrence He_{k+1}(z) = z He_k(z) − k He_{k−1}(z), He₀ = 1, He₁ = z.
  public static func hermite(_ k: Int, _ z: Double) -> Double {
    precondition(k >= 0, "Hermite order must be non-negative")
    var (previous, current) = (1.0, z)
    if k == 0 { return previous }
    for n in stride(from: 1, to: k, by: 1) {
      (previous, current) = (current, z * current - Double(n) * previous)
    }
    return current
  }

  /// g(z).
  public func value(_ z: Double) -> Double {
    switch self {
    case .hermite(let k): return HermiteTarget.hermite(k, z)
    case .mixed(let epsilon): return z + epsilon * HermiteTarget.hermite(3, z)
    }
  }

  /// g′(z), from He_k′ = k He_{k−1}.
  public func derivative(_ z: Double) -> Double {
    switch self {
    case .hermite(let k): return k == 0 ? 0 : Double(k) * HermiteTarget.hermite(k - 1, z)
    case .mixed(let epsilon): return 1 + 3 * epsilon * HermiteTarget.hermite(2, z)
    }
  }

  /// E[g(z)²] for z ~ N(0, 1): k! for He_k, 1 + 6ε² for the mixed target.
  public var squaredNorm: Double {
    switch self {
    case .hermite(let k): return (1...max(k, 1)).reduce(1.0) { $0 * Double($1) }
    case .mixed(let epsilon): return 1 + 6 * epsilon * epsilon
    }
  }

  /// Why the target cannot be used, or nil.
  public var problem: String? {
    switch self {
    case .hermite(let k) where !(1...12).contains(k):
      return "the Hermite order must be in 1…12, got \(k)"
    case .mixed(let epsilon) where !epsilon.isFinite:
      return "ε must be a finite number, got \(epsilon)"
    default: return nil
    }
  }
}

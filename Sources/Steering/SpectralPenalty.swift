import Autodiff
import RealModule
import Spectral
import Tensors

/// Target top singular value `τ_l` for each penalised layer `l = 0, 1, …` (hidden layers,
/// input side first).
public enum SpectralTargets: Codable, Sendable, Hashable {
  /// The same `τ` for every layer (`τ = 1` is the classic choice).
  case fixed(Double)
  /// One given `τ_l` per layer; the last entry repeats for deeper layers.
  case layerwise([Double])
  /// A renormalization-group-like flow `τ_l = τ₀·r^l`.
  case rgFlow(tau0: Double, ratio: Double)
  /// Adaptive targets (ASISR): every layer starts at `τ₀` and then follows
  /// ``AdaptiveTargetRule`` (the regularization's `adaptation`).
  case adaptive(tau0: Double)

  enum CodingKeys: String, CodingKey { case kind, tau, taus, tau0, ratio }

  /// Written as `{"kind": "fixed", "tau": 1}`, `{"kind": "layerwise", "taus": [1, 0.8]}` or
  /// `{"kind": "rg-flow", "tau0": 1.5, "ratio": 0.8}` — the form configuration files use.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .fixed(let tau):
      try c.encode("fixed", forKey: .kind)
      try c.encode(tau, forKey: .tau)
    case .layerwise(let taus):
      try c.encode("layerwise", forKey: .kind)
      try c.encode(taus, forKey: .taus)
    case .rgFlow(let tau0, let ratio):
      try c.encode("rg-flow", forKey: .kind)
      try c.encode(tau0, forKey: .tau0)
      try c.encode(ratio, forKey: .ratio)
    case .adaptive(let tau0):
      try c.encode("adaptive", forKey: .kind)
      try c.encode(tau0, forKey: .tau0)
    }
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    switch try c.decode(String.self, forKey: .kind) {
    case "fixed": self = .fixed(try c.decode(Double.self, forKey: .tau))
    case "layerwise": self = .layerwise(try c.decode([Double].self, forKey: .taus))
    case "rg-flow":
      self = .rgFlow(
        tau0: try c.decode(Double.self, forKey: .tau0),
        ratio: try c.decode(Double.self, forKey: .ratio))
    case "adaptive": self = .adaptive(tau0: try c.decode(Double.self, forKey: .tau0))
    case let other:
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: c,
        debugDescription: "'\(other)' is not one of fixed, layerwise, rg-flow, adaptive")
    }
  }

  /// `τ_l`.
  public func target(layer l: Int) -> Double {
    switch self {
    case .fixed(let tau): return tau
    case .layerwise(let taus): return taus.isEmpty ? 1 : taus[min(l, taus.count - 1)]
    case .rgFlow(let tau0, let ratio): return tau0 * Double.pow(ratio, Double(l))
    case .adaptive(let tau0): return tau0
    }
  }
}

/// The spectral penalty `λ Σ_l (σ_l − τ_l)²` over a list of weight matrices, with
/// `∂/∂W_l = 2λ(σ_l − τ_l) u_l v_lᵀ`. Each layer keeps its own power iteration, warm-started
/// across training steps.
public struct SpectralPenalty: Sendable {
  public var weight: Double
  public var targets: SpectralTargets
  public private(set) var iterations: [PowerIteration]

  public init(
    weight: Double, targets: SpectralTargets, layers: Int, tolerance: Double = 1e-6,
    maximumIterations: Int = 500
  ) {
    self.weight = weight
    self.targets = targets
    self.iterations = (0..<layers).map {
      PowerIteration(
        tolerance: tolerance, maximumIterations: maximumIterations, seed: UInt64($0) &+ 17)
    }
  }

  /// The penalty as a differentiable scalar, and each layer's σ (from this evaluation).
  public mutating func callAsFunction<S>(_ weights: [Variable<S>]) -> (
    penalty: Variable<S>, sigmas: [Double]
  ) {
    precondition(
      weights.count == iterations.count, "\(weights.count) weights, \(iterations.count) layers")
    var total: Variable<S>? = nil
    var sigmas: [Double] = []
    for (l, w) in weights.enumerated() {
      let sigma = topSingularValue(w, iteration: &iterations[l])
      sigmas.append(Double(sigma.value.scalar))
      let term = square(sigma + S(-targets.target(layer: l)))
      total = total.map { $0 + term } ?? term
    }
    return ((total ?? Variable(Tensor(S(0)))) * S(weight), sigmas)
  }

  /// Mean power-iteration count per evaluation over the last `window` evaluations of every layer.
  public func meanIterations(lastEvaluations window: Int) -> Double {
    let recent = iterations.flatMap { $0.iterationHistory.suffix(window) }
    return recent.isEmpty ? 0 : Double(recent.reduce(0, +)) / Double(recent.count)
  }
}

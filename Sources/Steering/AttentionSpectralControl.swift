import Autodiff
import NN
import Spectral
import Tensors

/// Spectral control of a transformer's attention, as a training condition (SPEC §7 protocol 7).
///
/// - `none`: plain training.
/// - `queryKeyPenalty(strength: λ)`: the loss gains λ Σ_{blocks, heads} σ_max(W_{Q,h}ᵀ W_{K,h})²,
///   the squared top singular value of each head's query–key form (score(x_i, x_j) =
///   x_iᵀ W_{Q,h}ᵀ W_{K,h} x_j / √d_h): it bounds how peaked attention can become.
/// - `sigmaReparam`: σReparam (Zhai et al. 2023, "Stabilizing transformer training by
///   preventing attention entropy collapse"): every weight matrix of every block (W_Q, W_K,
///   W_V, W_O and the MLP's two) is used as Ŵ = γ·W/σ(W), σ(W) its top singular value from a
///   power iteration warm-started across steps (gradients flow through σ with the singular
///   vectors held), γ a learnable scalar per matrix starting at 1, as in the paper.
///
/// Written in files as one-of keys: `{none: {}}`, `{queryKeyPenalty: {strength: 0.001}}` or
/// `{sigmaReparam: {}}`.
public enum AttentionSpectralControl: Codable, Sendable, Equatable, Hashable {
  case none
  case queryKeyPenalty(strength: Double)
  case sigmaReparam

  /// A short label for tables.
  public var label: String {
    switch self {
    case .none: "no control"
    case .queryKeyPenalty(let strength): "σ_max(W_Qᵀ W_K) penalty λ=\(strength)"
    case .sigmaReparam: "σReparam"
    }
  }

  /// Why the control cannot be used (`nil` when it can).
  public var problem: String? {
    if case .queryKeyPenalty(let strength) = self, !(strength >= 0 && strength.isFinite) {
      return "the penalty strength must be a finite number ≥ 0, got \(strength)"
    }
    return nil
  }
}

/// The training-time state of an ``AttentionSpectralControl`` on one model: the power
/// iterations (warm-started across steps) and σReparam's gains γ.
public final class AttentionSpectralController<Scalar: TensorScalar> {
  public let control: AttentionSpectralControl
  let model: TransformerModel<Scalar>
  var iterations: [String: PowerIteration] = [:]
  let tolerance: Double
  let iterationsPerCall: Int
  /// σReparam's γ per block weight matrix (empty for the other controls).
  public let gains: [String: Variable<Scalar>]

  /// `tolerance` and `iterationsPerCall`: each power iteration (``PowerIteration``, warm-started
  /// from the previous call) stops at a residual of `tolerance`·σ or after `iterationsPerCall`
  /// steps. In training, σ then tracks the slowly moving weights a few steps per update
  /// (spectral normalisation and σReparam use one); the tests converge fully.
  public init(
    _ control: AttentionSpectralControl, model: TransformerModel<Scalar>,
    tolerance: Double = 1e-4, iterationsPerCall: Int = 3
  ) {
    self.control = control
    self.model = model
    self.tolerance = tolerance
    self.iterationsPerCall = iterationsPerCall
    var gains: [String: Variable<Scalar>] = [:]
    if control == .sigmaReparam {
      for (name, _) in model.blockWeightMatrices {
        gains[name] = Variable(Tensor(Scalar(1)), requiresGradient: true)
      }
    }
    self.gains = gains
  }

  /// Runs `body` on the named power iteration in place: the first call converges from a cold
  /// start (up to 10 000 steps), later ones take at most `iterationsPerCall`.
  func withIteration<R>(_ name: String, _ body: (inout PowerIteration) -> R) -> R {
    if iterations[name] == nil {
      iterations[name] = PowerIteration(tolerance: tolerance, maximumIterations: 10_000, seed: 17)
    }
    let result = body(&iterations[name]!)
    iterations[name]!.maximumIterations = iterationsPerCall
    return result
  }

  /// The weight view of the forward pass: Ŵ = γ·W/σ(W) under σReparam, W otherwise.
  public func view(_ name: String, _ weight: Variable<Scalar>) -> Variable<Scalar> {
    guard let gain = gains[name] else { return weight }
    let normalised = withIteration(name) { spectrallyNormalized(weight, iteration: &$0) }
    return gain * normalised
  }

  /// The gains γ as named parameters, to be optimised with the model's.
  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    gains.keys.sorted().map { ("\($0).gain", gains[$0]!) }
  }

  /// The matrices a forward pass uses (Ŵ under σReparam), by name, as values.
  public func effectiveWeights() -> [(name: String, weight: Tensor<Scalar>)] {
    model.blockWeightMatrices.map { ($0.name, view($0.name, $0.variable).value) }
  }

  /// Each head's query–key form M = W_{Q,h}ᵀ W_{K,h} as a differentiable matrix (D × D), from
  /// the weights a pass uses.
  public func queryKeyForms() -> [(name: String, form: Variable<Scalar>)] {
    model.blocks.enumerated().flatMap { i, block in
      let prefix = "blocks.\(i).attention."
      let q = view(prefix + "query.weight", block.attention.query.weight)
      let k = view(prefix + "key.weight", block.attention.key.weight)
      let dh = block.attention.headWidth
      return (0..<block.attention.heads).map { h in
        let rows = (h * dh)..<((h + 1) * dh)
        return (
          "blocks.\(i).head.\(h)",
          matmul(
            slice(q, alongAxis: 0, rows), slice(k, alongAxis: 0, rows), transposeA: true)
        )
      }
    }
  }

  /// The penalty term of the loss (`nil` without a penalty): λ Σ σ_max(M_h)².
  public func penalty() -> Variable<Scalar>? {
    guard case .queryKeyPenalty(let strength) = control, strength > 0 else { return nil }
    var total: Variable<Scalar>? = nil
    for (name, form) in queryKeyForms() {
      let sigma = withIteration(name) { topSingularValue(form, iteration: &$0) }
      let term = square(sigma)
      total = total.map { $0 + term } ?? term
    }
    return total.map { $0 * Scalar(strength) }
  }
}

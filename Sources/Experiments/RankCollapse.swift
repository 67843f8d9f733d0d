import Autodiff
import Foundation
import NN
import Tensors

/// Rank collapse of token representations with depth at initialisation (SPEC §7 protocol 7;
/// Dong, Cordonnier & Loukas 2021, "Attention is not all you need: pure attention loses rank
/// doubly exponentially with depth"). A stack of `depth` freshly drawn transformer blocks
/// (``TransformerBlock`` with the given parts) is applied to one sequence of `length` Gaussian
/// tokens of width D (entries N(0, 1)); after every block ℓ the representation X_ℓ (L × D) is
/// measured:
///
/// - the relative residual `r_ℓ = ‖X_ℓ − 1 x̄_ℓᵀ‖_F / ‖X_ℓ‖_F`, x̄ the mean token (the distance
///   to the nearest rank-one matrix with identical rows, in the Frobenius norm; Dong et al. use
///   a composite ℓ₁,∞ norm, whose bound `r_ℓ ≤ c^{(3^ℓ − 1)/2} r₀^{3^ℓ}` makes log r_ℓ fall like
///   3^ℓ for pure attention: doubly exponentially);
/// - the effective rank `exp(H(σ/Σσ))` of X_ℓ (Roy & Vetterli 2007: the exponential of the
///   entropy of the normalised singular values; 1 for rank one, L for equal singular values).
///
/// In double precision, so that residuals down to ~10⁻¹⁵ are resolved; once r_ℓ reaches that
/// floor the representation has collapsed to rounding.
public struct RankCollapse: Codable, Sendable, Equatable {
  public var parts: TransformerBlockParts
  public var depth: Int
  public var width: Int
  public var heads: Int
  public var length: Int
  /// σ of the attention weights W_Q, W_K, W_V, W_O (N(0, σ²/D)).
  public var attentionSigma: Double
  public var seed: UInt64

  public init(
    parts: TransformerBlockParts, depth: Int, width: Int = 32, heads: Int = 4, length: Int = 16,
    attentionSigma: Double = 1, seed: UInt64
  ) {
    self.parts = parts
    self.depth = depth
    self.width = width
    self.heads = heads
    self.length = length
    self.attentionSigma = attentionSigma
    self.seed = seed
  }

  /// The measures after block ℓ (ℓ = 0: the input).
  public struct Layer: Codable, Sendable, Equatable {
    public var depth: Int
    public var residual: Double
    public var effectiveRank: Double
  }

  /// `r = ‖X − 1x̄ᵀ‖_F/‖X‖_F` of the rows of `x`.
  public static func relativeResidual(_ x: Tensor<Double>) -> Double {
    let (rows, columns) = (x.rows, x.columns)
    var (residual, total) = (0.0, 0.0)
    for c in 0..<columns {
      var mean = 0.0
      for r in 0..<rows { mean += x.scalars[r * columns + c] }
      mean /= Double(rows)
      for r in 0..<rows {
        let v = x.scalars[r * columns + c]
        residual += (v - mean) * (v - mean)
        total += v * v
      }
    }
    return total > 0 ? (residual / total).squareRoot() : .nan
  }

  /// exp of the entropy of the normalised singular values.
  public static func effectiveRank(_ x: Tensor<Double>) throws -> Double {
    let singular = try singularValues(of: x)
    let total = singular.reduce(0, +)
    guard total > 0 else { return .nan }
    var entropy = 0.0
    for s in singular where s > 0 {
      let p = s / total
      entropy -= p * log(p)
    }
    return exp(entropy)
  }

  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError {
      ConfigurationError(key: key, message: message)
    }
    guard (1...1024).contains(depth) else { throw fail("depth", "must be in 1…1024, got \(depth)") }
    guard (1...4096).contains(width) else { throw fail("width", "must be in 1…4096, got \(width)") }
    guard heads >= 1, width % heads == 0 else {
      throw fail("heads", "must divide the width \(width), got \(heads)")
    }
    guard (2...4096).contains(length) else {
      throw fail("length", "must be in 2…4096, got \(length)")
    }
    guard attentionSigma > 0, attentionSigma.isFinite else {
      throw fail("attentionSigma", "must be a positive number, got \(attentionSigma)")
    }
  }

  /// The measures at every depth 0…`depth`. Blocks and tokens are drawn from `seed`.
  public func run() throws -> [Layer] {
    try validate()
    var random = SplittableRandom(seed: seed)
    var x = Tensor<Double>.randomNormal([length, width], using: &random)
    var layers = [
      Layer(
        depth: 0, residual: Self.relativeResidual(x), effectiveRank: try Self.effectiveRank(x))
    ]
    for l in 1...depth {
      var blockRandom = random.derived(l)
      let block = TransformerBlock<Double>(
        width: width, heads: heads, parts: parts, attentionSigma: attentionSigma,
        using: &blockRandom)
      x = block(Variable(x), batch: 1, length: length).output.value
      guard x.scalars.allSatisfy(\.isFinite) else { break }
      layers.append(
        Layer(
          depth: l, residual: Self.relativeResidual(x), effectiveRank: try Self.effectiveRank(x)))
    }
    return layers
  }
}

import Tensors

/// Generated sequence tasks for small transformers (SPEC §7 protocol 7). Three are token tasks:
/// each example is a sequence of `length` tokens from a vocabulary of `vocabulary`, and the
/// positions whose next token is to be predicted, with those tokens. One is a regression on
/// sequences of vectors.
///
/// - `copy`: a random first half, repeated once; the second half is scored (each token equals
///   the one half a sequence earlier).
/// - `reverse`: a random first half followed by the same tokens in reverse order; the second
///   half is scored (position L/2 + k holds the token at L/2 − 1 − k).
/// - `induction`: the copy layout with the first half's tokens all different, so that each
///   token of the second half has exactly one earlier occurrence: predicting its successor is
///   the induction-head pattern (find the earlier occurrence of the current token, copy the
///   token after it; Olsson et al. 2022).
///
///   The token tasks score positions L/2 … L − 2 (their next tokens L/2 + 1 … L − 1 are
///   determined by the sequence before them).
/// - `toySum`: L tokens x^a ∈ ℝ^d drawn i.i.d. N(0, I_d) (d ≥ 3) and one target per sequence,
///   y = (1/L) Σ_{a,b} x₁ᵃ x₂ᵃ x₃ᵇ = (1/L) (Σ_a x₁ᵃ x₂ᵃ)(Σ_b x₃ᵇ): a product of a per-token
///   quadratic feature and a sequence-wide linear one, so no single token determines it. Its
///   two factors are independent with variances L and L, so Var y = 1 and E y = 0.
public enum AttentionTask: String, Codable, Sendable, CaseIterable {
  case copy
  case reverse
  case induction
  case toySum = "toy-sum"

  /// Whether examples are token sequences (the others are vector sequences with one target).
  public var isTokens: Bool { self != .toySum }

  /// One batch of a token task: tokens (`count` sequences of `length`), and per sequence the
  /// scored positions with their next tokens.
  public struct Batch: Sendable {
    public var tokens: [[Int]]
    public var positions: [Int]
    public var targets: [[Int]]
  }

  /// One batch of the vector task: `inputs` of shape (count·length, dimension), row
  /// b·length + a holding token a of sequence b, and one target per sequence.
  public struct VectorBatch: Sendable {
    public var inputs: Tensor<Float>
    public var targets: [Double]
  }

  /// Why a task cannot be drawn with these sizes (`nil` when it can).
  public func problem(length: Int, vocabulary: Int, dimension: Int) -> String? {
    if isTokens {
      guard length >= 4 && length % 2 == 0 else {
        return "length must be even and at least 4, got \(length)"
      }
      if self == .induction && vocabulary < length / 2 {
        return "induction needs at least length/2 = \(length / 2) tokens, got \(vocabulary)"
      }
      return vocabulary >= 2 ? nil : "vocabulary must be at least 2, got \(vocabulary)"
    }
    guard length >= 1 else { return "length must be at least 1, got \(length)" }
    return dimension >= 3
      ? nil : "toy-sum needs dimension ≥ 3 (it reads x₁, x₂, x₃), got \(dimension)"
  }

  public func batch(
    count: Int, length: Int, vocabulary: Int, using random: inout SplittableRandom
  ) -> Batch {
    precondition(isTokens, "\(rawValue) is not a token task")
    precondition(problem(length: length, vocabulary: vocabulary, dimension: 3) == nil)
    let half = length / 2
    var tokens: [[Int]] = []
    for _ in 0..<count {
      var first: [Int]
      switch self {
      case .induction:
        var pool = Array(0..<vocabulary)
        for i in 0..<half {
          let j = i + random.nextInt(below: vocabulary - i)
          pool.swapAt(i, j)
        }
        first = Array(pool.prefix(half))
      default:
        first = (0..<half).map { _ in random.nextInt(below: vocabulary) }
      }
      tokens.append(first + (self == .reverse ? first.reversed() : first))
    }
    let positions = Array(half..<(length - 1))
    let targets = tokens.map { sequence in positions.map { sequence[$0 + 1] } }
    return Batch(tokens: tokens, positions: positions, targets: targets)
  }

  /// The toy sum's target of sequence `b` of `inputs` (rows b·length ..< (b + 1)·length).
  public static func toySumTarget(
    _ inputs: Tensor<Float>, sequence b: Int, length: Int, dimension d: Int
  ) -> Double {
    var quadratic = 0.0
    var linear = 0.0
    for a in 0..<length {
      let row = (b * length + a) * d
      quadratic += Double(inputs[flat: row]) * Double(inputs[flat: row + 1])
      linear += Double(inputs[flat: row + 2])
    }
    return quadratic * linear / Double(length)
  }

  public func vectorBatch(
    count: Int, length: Int, dimension: Int, using random: inout SplittableRandom
  ) -> VectorBatch {
    precondition(self == .toySum, "\(rawValue) is a token task")
    precondition(problem(length: length, vocabulary: 2, dimension: dimension) == nil)
    let inputs = Tensor<Float>(shape: [count * length, dimension]) { _ in
      Float(random.nextNormal())
    }
    let targets = (0..<count).map {
      Self.toySumTarget(inputs, sequence: $0, length: length, dimension: dimension)
    }
    return VectorBatch(inputs: inputs, targets: targets)
  }
}

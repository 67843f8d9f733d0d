import Tensors

/// Token-sequence tasks for small transformers (SPEC §7 protocol 7): each example is a
/// sequence of `length` tokens from a vocabulary of `vocabulary` and the positions whose next
/// token is to be predicted, with those tokens.
///
/// - `copy`: a random first half, repeated once; the second half is scored (each token equals
///   the one half a sequence earlier).
/// - `induction`: the same layout with the first half's tokens all different, so that each
///   token of the second half has exactly one earlier occurrence: predicting its successor is
///   the induction-head pattern (find the earlier occurrence of the current token, copy the
///   token after it; Olsson et al. 2022). Scored: positions L/2 … L − 2, whose next token is in
///   the sequence; the first token of the second half is not (it is unpredictable from
///   before it only in `copy`, and we score the same positions in both).
public enum TokenTask: String, Codable, Sendable, CaseIterable {
  case copy
  case induction

  /// One batch: tokens (`count` sequences of `length`), and per sequence the scored positions
  /// with their next tokens.
  public struct Batch: Sendable {
    public var tokens: [[Int]]
    public var positions: [Int]
    public var targets: [[Int]]
  }

  public func batch(
    count: Int, length: Int, vocabulary: Int, using random: inout SplittableRandom
  ) -> Batch {
    precondition(length >= 4 && length % 2 == 0, "length must be even and ≥ 4")
    let half = length / 2
    precondition(
      self == .copy || vocabulary >= half, "induction needs at least \(half) distinct tokens")
    var tokens: [[Int]] = []
    for _ in 0..<count {
      var first: [Int]
      switch self {
      case .copy:
        first = (0..<half).map { _ in random.nextInt(below: vocabulary) }
      case .induction:
        var pool = Array(0..<vocabulary)
        for i in 0..<half {
          let j = i + random.nextInt(below: vocabulary - i)
          pool.swapAt(i, j)
        }
        first = Array(pool.prefix(half))
      }
      tokens.append(first + first)
    }
    let positions = Array(half..<(length - 1))
    let targets = tokens.map { sequence in positions.map { sequence[$0 + 1] } }
    return Batch(tokens: tokens, positions: positions, targets: targets)
  }
}

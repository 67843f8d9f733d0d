import Data
import Experiments
import Foundation
import Testing

/// A two-layer transformer learns the induction task: above 95 % of the scored next tokens of
/// 256 held-out sequences (chance is 1/16), trained by Adam on fresh batches (width 64, 4
/// heads, sequences of 16 tokens from 16, 1500 steps of 32 sequences). Each snapshot has one
/// attention entropy per layer, between 0 and the causal uniform maps' mean log(i + 1).
@Test func twoLayerTransformerSolvesInduction() throws {
  let run = TransformerTaskRun(task: .induction, seed: 1)
  let result = try #require(try run.run())
  #expect(result.finalScore > 0.95, "\(result.snapshots)")
  #expect(result.snapshots.first!.testScore < 0.3)
  let ceiling = (1...16).reduce(0.0) { $0 + log(Double($1)) } / 16
  // The end measures come from the same held-out pass as the last snapshot: the per-head
  // entropies average to the snapshot's per-layer entropy (rounding only).
  let last = try #require(result.snapshots.last)
  for (l, heads) in result.heads.enumerated() {
    let mean = heads.reduce(0) { $0 + $1.entropy } / Double(heads.count)
    #expect(abs(mean - last.entropy[l]) < 1e-9)
    // σ_max of the query–key forms: the snapshot's largest equals the head measures' largest;
    // the snapshot forms the product in single precision, the measures in double, so they
    // agree to single precision's ~1e-7 relative, not to double's.
    let top = heads.map(\.queryKeySigmaMax).max()!
    #expect(abs(top - last.queryKeySigmaMax[l]) <= 1e-5 * top)
  }
  #expect(result.finalJacobian.count == 16 * 64 && result.weights.count == 12)
  for snapshot in result.snapshots {
    #expect(snapshot.entropy.count == 2)
    #expect(snapshot.entropy.allSatisfy { $0 >= 0 && $0 <= ceiling + 1e-6 })
  }
}

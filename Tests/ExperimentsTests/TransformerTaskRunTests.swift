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
  let result = try #require(run.run())
  #expect(result.finalAccuracy > 0.95, "\(result.snapshots)")
  #expect(result.snapshots.first!.testAccuracy < 0.3)
  let ceiling = (1...16).reduce(0.0) { $0 + log(Double($1)) } / 16
  for snapshot in result.snapshots {
    #expect(snapshot.entropy.count == 2)
    #expect(snapshot.entropy.allSatisfy { $0 >= 0 && $0 <= ceiling + 1e-6 })
  }
}

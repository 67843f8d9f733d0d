import Data
import Experiments
import Testing

/// A two-layer transformer learns the induction task: above 95 % of the scored next tokens of
/// 256 held-out sequences (chance is 1/16), trained by Adam on fresh batches (width 64, 4
/// heads, sequences of 16 tokens from 16, 1500 steps of 32 sequences).
@Test func twoLayerTransformerSolvesInduction() throws {
  let run = TransformerTaskRun(task: .induction, seed: 1)
  let result = try #require(run.run())
  #expect(result.finalAccuracy > 0.95, "\(result.snapshots)")
  #expect(result.snapshots.first!.testAccuracy < 0.3)
}

import Experiments
import Foundation
import Testing
import Trainability

/// The work count of the batched trainer: without early exit every group of eight lanes runs
/// every step (a 16² grid → 32 groups → 256 lanes × 60 steps; 10 members → 2 groups → 16 lanes);
/// with early exit the groups of the wide view whose members all diverge stop early, so fewer
/// lane-steps are counted, always whole groups, and the measures are the same either way.
@Test func trainabilityWorkCountsLaneSteps() {
  let trainer = BatchedTrainability(problem: TrainabilityProblem(seed: 3), steps: 60)
  let members = learningRateGrid(centre: (1.5, 1.5), width: 9, resolution: 16).map {
    TrainabilityMember(eta0: $0.0, eta1: $0.1)
  }
  let full = trainer.measuresAndWork(members, earlyExit: false)!
  #expect(full.laneSteps == 256 * 60)
  #expect(
    trainer.measuresAndWork(Array(members.prefix(10)), earlyExit: false)!.laneSteps == 16 * 60)
  let early = trainer.measuresAndWork(members, earlyExit: true)!
  #expect(early.laneSteps < 256 * 60 && early.laneSteps > 0, "\(early.laneSteps)")
  #expect(early.laneSteps % 8 == 0)
  #expect(zip(full.measures, early.measures).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
  // d = n = 16, N = 272 full batch: 2N(dn + n) + N(2(dn + n) + 4n) = 147 968 + 165 376.
  #expect(trainer.flopsPerMemberStep == 313_344)
}

/// The peak probe does the work it counts: the mean of its chains settles at exactly 1 (each
/// round maps a to a/2 + 1/2 from 1 + c·10⁻³), and the operations are iterations × 12 chains ×
/// the vector's lanes × 2. The measured peak is positive and finite on one thread.
@Test func fusedMultiplyAddProbeCountsItsOperations() {
  let lanes = VectorUnits.probeLanes
  #expect([2, 4, 8].contains(lanes))
  let run = VectorUnits.probe(iterations: 1000)
  #expect(run.mean == 1)
  #expect(run.flops == Double(1000 * 12 * lanes * 2))
  let peak = FusedMultiplyAddPeak.measure(threads: 1, seconds: 0.01)
  #expect(peak.flopsPerSecond > 0 && peak.flopsPerSecond.isFinite)
  #expect(peak.instructionSet == VectorUnits.instructionSet)
}

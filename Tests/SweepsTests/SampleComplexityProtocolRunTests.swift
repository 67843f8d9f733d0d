import Experiments
import Foundation
import Report
import Sweeps
import Testing

/// A small sample-complexity protocol: d = 4, 6; P/d = 2, 8; the GP alone at P/d = 16; two
/// draws; 40 steps; the mixed target at d = 4.
func smallSampleComplexityProtocol() -> SampleComplexityProtocol {
  var definition = SampleComplexityProtocol.quick()
  definition.name = "sample-complexity-test"
  definition.dimensions = [4, 6]
  definition.ratios = [2, 8]
  definition.kernelRatios = [16]
  definition.maxKernelSamples = 96
  definition.steps = 40
  definition.recordEvery = 10
  definition.testCount = 100
  definition.mixedDimension = 4
  definition.mixedRatio = 8
  definition.mixedSteps = 40
  definition.mixedRecordEvery = 10
  return definition
}

/// The protocol goes through the results store: every run is a stored `feature-learning` run
/// with its axes; a second invocation runs nothing new and reads the same results back
/// (resume); the GP curve holds the network grid and the kernel ratios; the report has its
/// tables, verdicts and charts (two learnability curves, one P*(d) chart per level, the
/// alignment histogram, the mixed target's stages) and no NaN.
@Test func sampleComplexityProtocolRunsThroughTheStoreAndResumes() throws {
  let store = try temporaryStore()
  let definition = smallSampleComplexityProtocol()
  let first = try #require(try definition.run(store: store, sweep: "s", jobs: 2))
  let networks = try store.runs(sweep: "s-networks")
  let kernels = try store.runs(sweep: "s-kernels")
  let mixed = try store.runs(sweep: "s-mixed")
  #expect(networks.count == 2 * 2 * 2 && kernels.count == 2 * 2 && mixed.count == 2)
  #expect((networks + kernels + mixed).allSatisfy { $0.kind == "feature-learning" })
  #expect(Set(networks.map { $0.assignments["samples"] ?? "" }) == ["8", "32", "12", "48"])
  #expect(Set(kernels.map { $0.assignments["samples"] ?? "" }) == ["64", "96"])

  let reports = LockedBox<[(Int, Int)]>([])
  let second = try #require(
    try definition.run(store: store, sweep: "s", jobs: 2) { _, done, total in
      reports.withLock { $0.append((done, total)) }
    })
  #expect(reports.current.count == 3 && reports.current.allSatisfy { $0.0 == $0.1 })
  #expect(try store.runs(sweep: "s-networks").count == networks.count)
  for d in definition.dimensions {
    #expect(
      first.curve(.network, dimension: d).overlaps == second.curve(.network, dimension: d).overlaps)
    #expect(first.curve(.gaussianProcess, dimension: d).samples == [2, 8, 16].map { $0 * d })
  }
  #expect(first.stages?.steps == [0, 10, 20, 30, 40])
  #expect(first.alignments(dimension: 4).count == 2 * 8)

  let report = SampleComplexityReport(summary: first, seconds: 1, command: "test")
  let html = report.html()
  #expect(html.contains("What held and what did not"))
  #expect(report.thresholdRows.count == 2 * definition.levels.count * 2)
  #expect(report.slopeRows.count == 2 * definition.levels.count)
  #expect(html.components(separatedBy: "<svg").count - 1 == 2 + definition.levels.count + 2)
  #expect(!html.contains(">nan") && !html.contains("NaN"))
  #expect(first.verdicts().count >= 4)
}

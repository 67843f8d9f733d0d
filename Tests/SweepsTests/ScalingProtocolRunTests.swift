import Experiments
import Foundation
import Report
import Sweeps
import Testing

/// A small scaling protocol: 3 draws (d = 8, M = 128) and networks of width 16 and 128 at
/// P = 16, 32 and 64 on 2 draws.
func smallScalingProtocol() -> ScalingProtocol {
  var definition = ScalingProtocol.quick()
  definition.name = "scaling-test"
  definition.data.dimension = 8
  definition.samples = [16, 32, 64]
  definition.spectrumPoints = 128
  definition.testCount = 50
  definition.draws = 3
  definition.widths = [16, 128]
  definition.networkSamples = [16, 32, 64]
  definition.networkDraws = 2
  definition.ridge = 0.01
  return definition
}

/// The protocol goes through the results store: every draw and network is a stored run of its
/// kind with its axes; a second invocation runs nothing new and reads the same results back
/// (resume); the summary has a curve per width and a verdict per width.
@Test func scalingProtocolRunsThroughTheStoreAndResumes() throws {
  let store = try temporaryStore()
  let definition = smallScalingProtocol()
  let first = try #require(try definition.run(store: store, sweep: "s", jobs: 2))
  let kernels = try store.runs(sweep: "s-kernels")
  let networks = try store.runs(sweep: "s-networks")
  #expect(kernels.count == 3 && kernels.allSatisfy { $0.kind == "kernel-curve" })
  #expect(networks.count == 2 * 2 * 3 && networks.allSatisfy { $0.kind == "network-curve" })
  #expect(Set(networks.map { $0.assignments["width"] ?? "" }) == ["16", "128"])
  #expect(kernels.allSatisfy { $0.status == "completed" })

  // Resumed: each part reports itself finished from the start, and no run is added.
  let reports = LockedBox<[(Int, Int)]>([])
  let second = try #require(
    try definition.run(store: store, sweep: "s", jobs: 2) { _, done, total in
      reports.withLock { $0.append((done, total)) }
    })
  #expect(reports.current.count == 2 && reports.current.allSatisfy { $0.0 == $0.1 })
  #expect(try store.runs(sweep: "s-networks").count == networks.count)
  for kernel in ScalingSummary.Kernel.allCases {
    #expect(
      first.curves(kernel).measured.map(\.mean) == second.curves(kernel).measured.map(\.mean))
  }
  #expect(first.widths.count == 2)
  #expect(first.verdicts().filter { $0.hasPrefix("Width ") }.count == 2)

  // The report: verdicts, the exponent table (2 widths; 2 kernels × regression and theory
  // with and without ridge, and min(a − 1, 2b)), the ridgeless table and six charts (two
  // learning-curve plots, two spectra, κ(P), the finite-width deviation).
  let report = ScalingReport(summary: first, seconds: 1, command: "test")
  let html = report.html()
  #expect(html.contains("What held and what did not"))
  #expect(report.exponentRows.count == 2 + 2 * 5)
  #expect(report.ridgelessRows.count == definition.samples.count)
  #expect(first.verdicts().filter { $0.contains("without ridge") }.count == 2)
  #expect(html.components(separatedBy: "<svg").count - 1 == 6)
  #expect(!html.contains(">nan") && !html.contains("NaN"))
}

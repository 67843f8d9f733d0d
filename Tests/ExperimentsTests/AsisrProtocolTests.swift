import Experiments
import Foundation
import Steering
import Testing

/// The full protocol has the documented size and conditions, every run is valid, and no two
/// runs share a configuration (so each is stored and run once).
@Test func asisrProtocolHasTheDocumentedRuns() throws {
  let full = AsisrProtocol.full()
  #expect(full.conditions.count == 11)
  #expect(
    full.tasks.map(\.name) == ["moons", "circles", "spirals", "teacher-student", "power-law"])
  let runs = full.runs
  // 11 conditions × 5 tasks × 10 seeds, the fixed-τ condition at 6 τ instead of 1.
  #expect(runs.count == (10 + 6) * 5 * 10)
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  let encoded = try runs.map { try encoder.encode($0.configuration) }
  #expect(Set(encoded).count == runs.count)
  for run in runs { try run.configuration.validate() }
  func first(_ condition: String) -> TrainingConfiguration {
    runs.first { $0.assignments["condition"] == condition }!.configuration
  }
  #expect(first("none").regularization == .none)
  #expect(first("none").hidden.count == 8)
  #expect(first("layerwise").regularization.targets.target(layer: 0) == 1.5)
  #expect(
    abs(first("layerwise").regularization.targets.target(layer: 7) - 0.8) < 1e-12)
  #expect(first("adaptive").regularization.adapts)
  #expect(first("critical-lr").criticalLearningRate != nil)
  #expect(first("jacobian-chi1").regularization.jacobianWeight == 0.1)
  #expect(first("batch-norm").normalization == .batch)
  let taus = Set(
    runs.filter { $0.assignments["condition"] == "fixed-tau" }.compactMap {
      $0.assignments["tau"]
    })
  #expect(taus == ["0.5", "0.8", "1", "1.2", "1.5", "2"])
  #expect(first("none").robustness != nil)
}

import Data
import Experiments
import Foundation
import Indicators
import Testing

/// A run written to its directory and read back (what a resumed protocol uses) is the same
/// run: configuration, status, every epoch's metrics with its indicators, the summary's
/// measures and the parameters, bit for bit. A directory without its summary is not a run.
@Test func runDirectoryReadsBackWhatItWrote() throws {
  var configuration = TrainingConfiguration(
    data: DataConfiguration(count: 200), hidden: [8, 8], epochs: 4,
    indicators: IndicatorOptions(every: 2, boundaryResolution: 16))
  configuration.recordDynamics = true
  let (train, test) = try configuration.data.load()
  let result = Experiments.train(configuration, train: train, test: test)
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "crit-rundir-\(UUID().uuidString)"
  ).path
  try RunDirectory.write(result, to: directory)
  let read = try #require(RunDirectory.read(from: directory))
  #expect(read.configuration == result.configuration)
  #expect(read.status == result.status)
  // Compared as JSON, where NaN equals NaN (a measure can be undefined on a short run).
  let encoder = JSONEncoder.forRuns
  #expect(try encoder.encode(read.metrics) == encoder.encode(result.metrics))
  #expect(read.metrics.contains { $0.indicators != nil })
  #expect(read.parameterCount == result.parameterCount)
  #expect(try encoder.encode(read.dynamics) == encoder.encode(result.dynamics))
  #expect(read.neuralCollapse == result.neuralCollapse)
  #expect(read.state.keys.sorted() == result.state.keys.sorted())
  for (name, tensor) in result.state {
    #expect(read.state[name]?.shape == tensor.shape)
    #expect(read.state[name]?.scalars == tensor.scalars, "\(name)")
  }
  try FileManager.default.removeItem(atPath: "\(directory)/summary.json")
  #expect(RunDirectory.read(from: directory) == nil)
}

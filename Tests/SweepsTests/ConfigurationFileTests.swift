import Experiments
import Foundation
import Steering
import Sweeps
import Testing

func expectConfigError(
  _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record("expected an error mentioning \(fragments)", sourceLocation: sourceLocation)
  } catch let error as ConfigurationFileError {
    for fragment in fragments {
      #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
    }
    #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
  }
}

@Test func yamlKeysAndOverrides() throws {
  let yaml = """
    learningRate: 0.01
    hidden: [32, 32]
    data:
      kind: spirals
      noise: 0.1
    regularization:
      kind: spectral-penalty
      weight: 0.5
      targets: {kind: rg-flow, tau0: 1.5, ratio: 0.8}
    indicators:
      every: 5
    """
  let c = try ConfigurationFile.load(
    text: yaml, source: "c.yaml", overrides: ["data.noise=0.3", "epochs=7"])
  #expect(c.learningRate == 0.01)
  #expect(c.hidden == [32, 32])
  #expect(c.data.kind == .spirals)
  #expect(c.data.noise == 0.3)
  #expect(c.epochs == 7)
  #expect(c.regularization.targets == .rgFlow(tau0: 1.5, ratio: 0.8))
  #expect(c.indicators?.every == 5)
  #expect(c.indicators?.boundaryResolution == 256)
  // Untouched keys keep their defaults.
  #expect(c.batchSize == 64)
}

@Test func jsonAndRoundTrip() throws {
  var original = TrainingConfiguration(epochs: 12, seed: 4)
  original.regularization = RegularizationConfiguration(
    kind: .spectralPenalty, targets: .layerwise([1, 0.9, 0.8]))
  let json = String(decoding: try JSONEncoder.forRuns.encode(original), as: UTF8.self)
  #expect(try ConfigurationFile.load(text: json, source: "config.json") == original)
}

@Test func configurationErrorsNameTheKeyPath() {
  expectConfigError(["unknown key data.nosie", "did you mean data.noise?"]) {
    _ = try ConfigurationFile.load(text: "data: {nosie: 0.3}", source: "a.yaml")
  }
  expectConfigError(["unknown key learnngRate", "did you mean learningRate?"]) {
    _ = try ConfigurationFile.load(text: "learnngRate: 0.1", source: "a.yaml")
  }
  expectConfigError(["epochs must be an integer", "'abc'"]) {
    _ = try ConfigurationFile.load(text: "epochs: abc", source: "a.yaml")
  }
  expectConfigError(["hidden[1] must be an integer"]) {
    _ = try ConfigurationFile.load(text: "hidden: [64, 6.5]", source: "a.yaml")
  }
  expectConfigError(["activation must be one of relu", "'swish'"]) {
    _ = try ConfigurationFile.load(text: "activation: swish", source: "a.yaml")
  }
  expectConfigError(["learningRate", "positive"]) {
    _ = try ConfigurationFile.load(text: "learningRate: -1", source: "a.yaml")
  }
  expectConfigError(["hidden", "positive"]) {
    _ = try ConfigurationFile.load(text: "", source: "a.yaml", overrides: ["hidden=[64,0]"])
  }
  expectConfigError(["--set epochs", "key.path=value"]) {
    _ = try ConfigurationFile.load(text: "", source: "a.yaml", overrides: ["epochs"])
  }
  expectConfigError(["a.yaml", "top level must be a mapping"]) {
    _ = try ConfigurationFile.load(text: "- 1\n- 2", source: "a.yaml")
  }
}

/// Real-valued keys whose defaults are whole numbers (written `0` or `1` in config.json) take
/// fractional values, and integer keys still refuse them.
@Test func realKeysWithWholeDefaultsTakeFractions() throws {
  let configuration = try ConfigurationFile.load(
    text: """
      dropout: 0.1
      sigmaB: 0.05
      sigmaW: 1.4
      optimizer: {weightDecay: 0.01}
      schedule: {minimumLearningRate: 0.00001}
      data: {alpha: 1.5}
      """, source: "t.yaml")
  #expect(configuration.dropout == 0.1)
  #expect(configuration.sigmaB == 0.05)
  #expect(configuration.sigmaW == 1.4)
  #expect(configuration.optimizer.weightDecay == 0.01)
  #expect(configuration.schedule.minimumLearningRate == 0.00001)
  #expect(configuration.data.alpha == 1.5)
  expectConfigError(["epochs", "integer"]) {
    _ = try ConfigurationFile.load(text: "epochs: 0.5", source: "t.yaml")
  }
  expectConfigError(["data.count", "integer"]) {
    _ = try ConfigurationFile.load(text: "data: {count: 10.5}", source: "t.yaml")
  }
}

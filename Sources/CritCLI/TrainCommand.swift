import ArgumentParser
import Experiments
import Foundation
import Sweeps

/// `crit train`: one training run, written to a run directory.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train an MLP and write config.json, metrics.csv and summary.json.",
    discussion: """
      The defaults are the project's seed network: 2→64→64→64→2 ReLU on two moons \
      (1000 points, noise 0.2, 80/20 split), Adam at 1e-3, mini-batch 64, 200 epochs.
      """)

  @OptionGroup(title: "Data") var data: DataOptions
  @OptionGroup(title: "Model") var model: ModelOptions
  @OptionGroup(title: "Optimisation") var optimisation: OptimisationOptions
  @OptionGroup(title: "Spectral steering and indicators") var steering: SteeringOptions

  @Option(help: "Seed of initialisation, mini-batch order and dropout.")
  var seed: UInt64 = 0

  @Option(
    help:
      "BLAS threads, granted where this machine's BLAS gives the same bits as one thread (else 1: results never depend on it)."
  )
  var threads: Int = 1

  @Option(help: "Run directory (default: runs/train-<dataset>-seed<seed>).")
  var out: String?

  @Flag(help: "No progress bar or table; print only the run directory.")
  var quiet = false

  @Option(
    help:
      "Start from these weights: a .safetensors checkpoint of crit or a PyTorch MLP state dict with matching shapes."
  )
  var initFrom: String?

  @Option(help: "Keep the weights every k epochs in <run>/checkpoints/epoch-NNNN.safetensors.")
  var checkpointEvery: Int?

  @Option(
    help:
      "Configuration file (YAML or JSON; the keys of config.json). With --config or --set the run is defined by them alone."
  )
  var config: String?

  @Option(
    name: .customLong("set"), help: "Override one configuration key: key.path=value (repeatable).")
  var overrides: [String] = []

  func resolvedConfiguration() throws -> TrainingConfiguration {
    var configuration = TrainingConfiguration(
      data: data.configuration, seed: seed)
    try model.apply(to: &configuration)
    optimisation.apply(to: &configuration)
    try steering.apply(to: &configuration)
    if config != nil || !overrides.isEmpty {
      // Flags and a file together would leave it unclear which wins: refuse the mix.
      guard configuration == TrainingConfiguration() else {
        throw ValidationError(
          "--config/--set: cannot be combined with configuration flags (put them in the file, or use --set key=value)"
        )
      }
      if let config {
        return try ConfigurationFile.load(path: config, overrides: overrides)
      }
      return try ConfigurationFile.load(text: "", source: "--set", overrides: overrides)
    }
    try configuration.validate()
    return configuration
  }

  func run() throws {
    guard threads >= 1 && threads <= 1024 else {
      throw ValidationError("--threads: must be in 1…1024, got \(threads)")
    }
    let configuration = try resolvedConfiguration()
    LinearAlgebraThreads.set(threads)
    let (trainSet, testSet) = try configuration.data.load()
    try configuration.checkMemory(train: trainSet, test: testSet)
    let directory = out ?? "runs/train-\(configuration.data.kind.rawValue)-seed\(seed)"
    try OutputPath.checkDirectory(directory, option: "--out")
    try checkCount(checkpointEvery, "--checkpoint-every", 1...configuration.epochs)
    let initial = try initFrom.map {
      try initialWeights(
        path: $0, for: configuration, inputs: trainSet.inputDimension,
        outputs: trainSet.outputDimension)
    }
    var progress = ProgressBar(total: configuration.epochs, unit: "epoch", enabled: !quiet)
    var checkpointError: Error? = nil
    var result = train(
      configuration, train: trainSet, test: testSet, initialState: initial,
      checkpointEvery: checkpointEvery,
      onEpoch: { row in
        var fields = [("loss", String(format: "%.4f", row.trainLoss))]
        if let accuracy = row.testAccuracy {
          fields.append(("test acc", String(format: "%.1f%%", 100 * accuracy)))
        } else {
          fields.append(("test loss", String(format: "%.4f", row.testLoss)))
        }
        progress.update(completed: row.epoch, fields: fields)
      },
      onCheckpoint: { epoch, state in
        guard checkpointError == nil else { return }
        do { try RunDirectory.writeCheckpoint(state, epoch: epoch, to: directory) } catch {
          checkpointError = error
        }
      })
    progress.finish()
    if let checkpointError { throw checkpointError }
    result.initializedFrom = initFrom
    try RunDirectory.write(result, to: directory)
    if quiet {
      print(directory)
    } else {
      print(summaryTable(RunSummary(result), directory: directory))
    }
  }
}

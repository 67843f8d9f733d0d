import ArgumentParser
import Data
import Experiments
import Foundation
import Indicators
import NN
import Steering
import Sweeps
import Tensors

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
      throw ConfigurationError(option: "--threads", message: "must be in 1…1024, got \(threads)")
    }
    let configuration = try resolvedConfiguration()
    LinearAlgebraThreads.set(threads)
    let (trainSet, testSet) = try configuration.data.load()
    try configuration.checkMemory(train: trainSet, test: testSet)
    let directory = out ?? "runs/train-\(configuration.data.kind.rawValue)-seed\(seed)"
    try OutputPath.checkDirectory(directory, option: "--out")
    var progress = ProgressBar(total: configuration.epochs, unit: "epoch", enabled: !quiet)
    let result = train(
      configuration, train: trainSet, test: testSet,
      onEpoch: { row in
        var fields = [("loss", String(format: "%.4f", row.trainLoss))]
        if let accuracy = row.testAccuracy {
          fields.append(("test acc", String(format: "%.1f%%", 100 * accuracy)))
        } else {
          fields.append(("test loss", String(format: "%.4f", row.testLoss)))
        }
        progress.update(completed: row.epoch, fields: fields)
      })
    progress.finish()
    try RunDirectory.write(result, to: directory)
    if quiet {
      print(directory)
    } else {
      print(summaryTable(RunSummary(result), directory: directory))
    }
  }
}

/// Options that choose and shape the data set.
struct DataOptions: ParsableArguments {
  @Option(help: "Data set: \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", ")).")
  var dataset: DatasetKind = .moons

  // The options that shape one kind of data are optional, so that giving one to a data set
  // it does not apply to is an error rather than silently ignored.
  @Option(help: "Number of generated examples (default 1000; not for csv, npy).")
  var samples: Int?

  @Option(help: "Noise standard deviation of 2-D data (blobs: cluster spread; default 0.2).")
  var noise: Double?

  @Option(help: "Input dimension of teacher-student and power-law data (default 32).")
  var dimension: Int?

  @Option(help: "Number of classes of blobs (default 3).")
  var classes: Int?

  @Option(help: "Cells per side of the checkerboard (default 4).")
  var cells: Int?

  @Option(help: "Exponent α of power-law data (covariance eigenvalues k^-(1+α); default 1).")
  var alpha: Double?

  @Option(
    help:
      "classification or regression (teacher-student, power-law, csv, npy; default classification)."
  )
  var task: TaskKind?

  @Option(help: "CSV file, or .npy features file.")
  var data: String?

  @Option(help: ".npy labels file (with --dataset npy).")
  var labels: String?

  // Unconditional parsing, so that `--label-column -1` reads the negative number.
  @Option(
    parsing: .unconditional, help: "CSV column holding the label; negative counts from the end.")
  var labelColumn: Int?

  @Option(
    help:
      "A test set taken as it is (CSV, or .npy features with --test-labels): no shuffle, no split; the training set is all of --data."
  )
  var testData: String?

  @Option(help: ".npy labels of --test-data (with --dataset npy).")
  var testLabels: String?

  @Option(help: "Fraction of examples held out for testing (default 0.2; not with --test-data).")
  var testFraction: Double?

  @Option(help: "Seed of the data set and its split (shared by all training seeds).")
  var dataSeed: UInt64 = 0

  var configuration: DataConfiguration {
    let defaults = DataConfiguration()
    return DataConfiguration(
      kind: dataset, count: samples ?? defaults.count, noise: noise ?? defaults.noise,
      dimension: dimension ?? defaults.dimension, classes: classes ?? defaults.classes,
      cells: cells ?? defaults.cells, alpha: alpha ?? defaults.alpha,
      task: task ?? defaults.task, path: data, labelsPath: labels,
      labelColumn: labelColumn ?? defaults.labelColumn,
      testFraction: testFraction ?? defaults.testFraction, testPath: testData,
      testLabelsPath: testLabels, seed: dataSeed)
  }

  /// The data sets each shaping option applies to.
  static let applicability:
    [(option: String, given: @Sendable (DataOptions) -> Bool, kinds: [DatasetKind])] =
      [
        (
          "--samples", { $0.samples != nil },
          DatasetKind.allCases.filter { ![.csv, .npy].contains($0) }
        ),
        (
          "--noise", { $0.noise != nil }, [.moons, .circles, .spirals, .xor, .checkerboard, .blobs]
        ),
        ("--dimension", { $0.dimension != nil }, [.teacherStudent, .powerLaw]),
        ("--classes", { $0.classes != nil }, [.blobs]),
        ("--cells", { $0.cells != nil }, [.checkerboard]),
        ("--alpha", { $0.alpha != nil }, [.powerLaw]),
        ("--task", { $0.task != nil }, [.teacherStudent, .powerLaw, .csv, .npy]),
        ("--label-column", { $0.labelColumn != nil }, [.csv]),
      ]

  func validate() throws {
    for (option, given, kinds) in Self.applicability where given(self) && !kinds.contains(dataset) {
      throw ValidationError(
        "\(option): does not apply to --dataset \(dataset.rawValue) (it shapes \(kinds.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    if testData != nil, testFraction != nil {
      throw ValidationError(
        "--test-fraction: does not apply with --test-data (the given test set is used as it is)")
    }
  }
}

/// Options that define the network.
struct ModelOptions: ParsableArguments {
  @Option(help: "Hidden widths, comma-separated.")
  var hidden: String = "64,64,64"

  @Option(help: "Activation: \(Activation.allCases.map(\.rawValue).joined(separator: ", ")).")
  var activation: Activation = .relu

  @Option(
    name: .customLong("init"),
    help: "Initialisation: \(Initialization.allCases.map(\.rawValue).joined(separator: ", ")).")
  var initialization: Initialization = .he

  @Option(help: "σ_w of gaussian (variance σ_w²/fan_in) and orthogonal (gain) initialisation.")
  var sigmaW: Double = 1

  @Option(help: "σ_b, bias standard deviation of gaussian and orthogonal initialisation.")
  var sigmaB: Double = 0

  @Flag(help: "Layers without bias.")
  var noBias = false

  @Option(help: "Hidden normalisation: none, batch, layer.")
  var normalization: NormalizationKind = .none

  @Option(help: "Dropout rate after each hidden activation.")
  var dropout: Double = 0

  func apply(to configuration: inout TrainingConfiguration) throws {
    configuration.hidden = try parseWidths(hidden)
    configuration.activation = activation
    configuration.initialization = initialization
    configuration.sigmaW = sigmaW
    configuration.sigmaB = sigmaB
    configuration.bias = !noBias
    configuration.normalization = normalization
    configuration.dropout = dropout
  }
}

/// Options of the optimizer, learning-rate schedule and loop.
struct OptimisationOptions: ParsableArguments {
  @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")).")
  var optimizer: OptimizerKind = .adam

  @Option(help: "Base learning rate.")
  var lr: Double = 1e-3

  @Option(help: "Momentum of the momentum optimizer.")
  var momentum: Double = 0.9

  @Option(help: "Adam β₁.")
  var beta1: Double = 0.9

  @Option(help: "Adam β₂.")
  var beta2: Double = 0.999

  @Option(help: "Weight decay (L2 for sgd/momentum/adam, decoupled for adamw; adamw default 0.01).")
  var weightDecay: Double?

  @Option(help: "Schedule: constant, step, cosine.")
  var schedule: LearningRateSchedule.Kind = .constant

  @Option(help: "Epochs between decays of the step schedule.")
  var stepEpochs: Int = 50

  @Option(help: "Decay factor of the step schedule.")
  var stepFactor: Double = 0.5

  @Option(help: "Final learning rate of the cosine schedule.")
  var minLr: Double = 0

  @Option(help: "Epochs of linear warm-up before the schedule.")
  var warmupEpochs: Int = 0

  @Option(help: "Mini-batch size; 0 for full batch.")
  var batchSize: Int = 64

  @Option(help: "Number of epochs.")
  var epochs: Int = 200

  func apply(to configuration: inout TrainingConfiguration) {
    configuration.optimizer = OptimizerConfiguration(
      kind: optimizer, momentum: momentum, beta1: beta1, beta2: beta2, weightDecay: weightDecay)
    configuration.learningRate = lr
    configuration.schedule = LearningRateSchedule(
      kind: schedule, stepEpochs: stepEpochs, stepFactor: stepFactor, minimumLearningRate: minLr,
      warmupEpochs: warmupEpochs)
    configuration.batchSize = batchSize
    configuration.epochs = epochs
  }
}

/// Options of the spectral penalty or normalisation and of the indicators.
struct SteeringOptions: ParsableArguments {
  @Option(help: "Spectral steering: none, spectral-penalty, spectral-norm.")
  var regularization: RegularizationConfiguration.Kind = .none

  @Option(help: "Penalty weight λ of λ Σ_l (σ_l − τ_l)².")
  var penaltyWeight: Double = 0.1

  @Option(help: "Target σ_max τ for every hidden layer (with --rg-ratio: τ₀).")
  var target: Double = 1

  @Option(help: "Layer-wise targets τ_l, comma-separated (overrides --target).")
  var targets: String?

  @Option(help: "RG-flow ratio r: τ_l = τ₀·r^l.")
  var rgRatio: Double?

  @Option(help: "Record the criticality indicators every k epochs (0: never).")
  var indicatorsEvery: Int = 0

  @Option(help: "Decision-boundary grid resolution for the indicators (power of two; 0: skip).")
  var boundaryResolution: Int = 256

  func apply(to configuration: inout TrainingConfiguration) throws {
    var spectralTargets = SpectralTargets.fixed(target)
    if let targets {
      let values = try targets.split(separator: ",").map { piece -> Double in
        guard let value = Double(piece.trimmingCharacters(in: .whitespaces)), value > 0 else {
          throw ValidationError(
            "--targets: '\(targets)' is not a comma-separated list of positive numbers")
        }
        return value
      }
      spectralTargets = .layerwise(values)
    } else if let rgRatio {
      guard rgRatio > 0 else {
        throw ValidationError("--rg-ratio: must be positive, got \(rgRatio)")
      }
      spectralTargets = .rgFlow(tau0: target, ratio: rgRatio)
    }
    guard target > 0 else { throw ValidationError("--target: must be positive, got \(target)") }
    guard indicatorsEvery >= 0 else {
      throw ValidationError("--indicators-every: must be ≥ 0, got \(indicatorsEvery)")
    }
    configuration.regularization = RegularizationConfiguration(
      kind: regularization, weight: penaltyWeight, targets: spectralTargets)
    configuration.indicators =
      indicatorsEvery > 0
      ? IndicatorOptions(every: indicatorsEvery, boundaryResolution: boundaryResolution) : nil
  }
}

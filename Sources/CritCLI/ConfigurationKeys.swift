import Experiments

/// The command line's names for configuration keys: the library names the key at fault
/// (``ConfigurationError``), and `crit train`'s messages name the option that sets it.
enum ConfigurationKeys {
  /// Configuration key paths and the options that set them.
  static let options: [String: String] = [
    "batchSize": "--batch-size",
    "data.alpha": "--alpha",
    "data.cells": "--cells",
    "data.classes": "--classes",
    "data.count": "--samples",
    "data.dimension": "--dimension",
    "data.labelsPath": "--labels",
    "data.noise": "--noise",
    "data.path": "--data",
    "data.testFraction": "--test-fraction",
    "data.testLabelsPath": "--test-labels",
    "data.testPath": "--test-data",
    "dropout": "--dropout",
    "epochs": "--epochs",
    "hidden": "--hidden",
    "indicators.boundaryResolution": "--boundary-resolution",
    "indicators.every": "--indicators-every",
    "learningRate": "--lr",
    "optimizer.beta1": "--beta1",
    "optimizer.beta2": "--beta2",
    "optimizer.momentum": "--momentum",
    "optimizer.weightDecay": "--weight-decay",
    "regularization.targets.ratio": "--rg-ratio",
    "regularization.targets.taus": "--targets",
    "regularization.weight": "--penalty-weight",
    "schedule.minimumLearningRate": "--min-lr",
    "schedule.stepEpochs": "--step-epochs",
    "schedule.stepFactor": "--step-factor",
    "schedule.warmupEpochs": "--warmup-epochs",
    "sigmaB": "--sigma-b",
    "sigmaW": "--sigma-w",
    "data.kind": "--dataset",
  ]

  /// The error as a command-line user reads it: its key, and every other key its message
  /// mentions, as options (keys without an option stay as they are).
  static func message(_ error: ConfigurationError) -> String {
    var message = error.message
    for (key, option) in options.sorted(by: { $0.key.count > $1.key.count }) where key.contains(".")
    {
      message = message.replacingOccurrences(of: key, with: option)
    }
    return "\(options[error.key] ?? error.key): \(message)"
  }
}

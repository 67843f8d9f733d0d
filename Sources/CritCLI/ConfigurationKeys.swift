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
    "data.labelColumn": "--label-column",
    "data.labelsPath": "--labels",
    "data.noise": "--noise",
    "data.parityBits": "--parity-bits",
    "data.path": "--data",
    "data.seed": "--data-seed",
    "data.task": "--task",
    "data.teacherWidth": "--teacher-width",
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
    "\(options[error.key] ?? error.key): \(translate(error.message))"
  }

  /// `text` with every dotted configuration key it names as a word (after the start, a space
  /// or a parenthesis; before the end, a space or punctuation) replaced by its option; a key
  /// inside a file path such as `runs/data.path/x.csv` stays as it is.
  static func translate(_ text: String) -> String {
    var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    for index in words.indices {
      var word = Substring(words[index])
      let leading = word.prefix { $0 == "(" }
      word = word.dropFirst(leading.count)
      var trailing = ""
      while let last = word.last, ",;:.)".contains(last) {
        trailing = String(last) + trailing
        word = word.dropLast()
      }
      if word.contains("."), let option = options[String(word)] {
        words[index] = leading + option + trailing
      }
    }
    return words.joined(separator: " ")
  }
}

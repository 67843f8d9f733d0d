import ArgumentParser
import Experiments
import Foundation
import Sweeps

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

  @Option(help: "Input dimension of high-dimensional data (default 32).")
  var dimension: Int?

  @Option(help: "Number of classes of blobs (default 3).")
  var classes: Int?

  @Option(help: "Cells per side of the checkerboard (default 4).")
  var cells: Int?

  @Option(help: "Exponent α of power-law data (covariance eigenvalues k^-(1+α); default 1).")
  var alpha: Double?

  @Option(help: "Hidden units of the random-teacher network (default 64).")
  var teacherWidth: Int?

  @Option(help: "Bits k of sparse-parity data: y = x₁⋯x_k (default 3).")
  var parityBits: Int?

  @Option(
    help:
      "classification or regression (teacher-student, power-law, random-teacher, sparse-parity, csv, npy; default classification)."
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
      testLabelsPath: testLabels, seed: dataSeed, teacherWidth: teacherWidth,
      parityBits: parityBits)
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
        (
          "--dimension", { $0.dimension != nil },
          [.teacherStudent, .powerLaw, .randomTeacher, .sparseParity]
        ),
        ("--teacher-width", { $0.teacherWidth != nil }, [.randomTeacher]),
        ("--parity-bits", { $0.parityBits != nil }, [.sparseParity]),
        ("--classes", { $0.classes != nil }, [.blobs]),
        ("--cells", { $0.cells != nil }, [.checkerboard]),
        ("--alpha", { $0.alpha != nil }, [.powerLaw]),
        (
          "--task", { $0.task != nil },
          [.teacherStudent, .powerLaw, .randomTeacher, .sparseParity, .csv, .npy]
        ),
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

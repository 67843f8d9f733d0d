import Tensors

/// The data sets `crit` can generate or load, by name.
public enum DatasetKind: String, CaseIterable, Codable, Sendable {
  case moons, circles, spirals, xor, checkerboard, blobs
  case teacherStudent = "teacher-student"
  case powerLaw = "power-law"
  /// Gaussian inputs labelled by a random one-hidden-layer erf network (`teacherWidth`).
  case randomTeacher = "random-teacher"
  /// Inputs uniform on {−1, +1}^d labelled by the parity of the first `parityBits`.
  case sparseParity = "sparse-parity"
  /// A user's CSV file (`path`, `labelColumn`).
  case csv
  /// A user's `.npy` features (`path`) and labels (`labelsPath`).
  case npy
}

/// Everything that fixes a data set and its train/test split.
///
/// Random streams: `SplittableRandom(seed:)` derived as "generate" for the examples and as
/// "split" for the shuffle that splits them, so changing the split leaves the points alone.
public struct DataConfiguration: Codable, Sendable, Hashable {
  public var kind: DatasetKind
  /// Number of examples generated (ignored for files).
  public var count: Int
  /// Standard deviation of the Gaussian noise on 2-D points (blobs: the cluster spread).
  public var noise: Double
  /// Input dimension of the high-dimensional tasks.
  public var dimension: Int
  /// Number of classes of `blobs`.
  public var classes: Int
  /// Cells per side of `checkerboard` (`xor` is 2).
  public var cells: Int
  /// Spectral exponent α of `power-law` (covariance eigenvalues `k^{−(1+α)}`).
  public var alpha: Double
  /// Hidden units of the `random-teacher` network (default 64; absent from a configuration
  /// that does not set it, so the hashes of other configurations stay as they were).
  public var teacherWidth: Int?
  /// Bits k of `sparse-parity` (default 3).
  public var parityBits: Int?
  /// Classification or regression, for the high-dimensional tasks and for files.
  public var task: TaskKind
  /// A CSV or `.npy` features file.
  public var path: String?
  /// The `.npy` labels file.
  public var labelsPath: String?
  /// Which CSV column holds the label (negative counts from the end).
  public var labelColumn: Int
  /// A test set given as a file (CSV, or `.npy` features with `testLabelsPath`), taken as it
  /// is: the training set is then the whole of `path`, nothing is shuffled or split, and
  /// `testFraction` does not apply.
  public var testPath: String?
  /// The `.npy` labels of `testPath`.
  public var testLabelsPath: String?
  /// Fraction of examples held out for testing (when no `testPath` is given).
  public var testFraction: Double
  /// Seed of the data set and split (separate from the model's seed, so several training
  /// seeds can share one data set).
  public var seed: UInt64

  public init(
    kind: DatasetKind = .moons, count: Int = 1000, noise: Double = 0.2, dimension: Int = 32,
    classes: Int = 3, cells: Int = 4, alpha: Double = 1, task: TaskKind = .classification,
    path: String? = nil, labelsPath: String? = nil, labelColumn: Int = -1,
    testFraction: Double = 0.2, testPath: String? = nil, testLabelsPath: String? = nil,
    seed: UInt64 = 0, teacherWidth: Int? = nil, parityBits: Int? = nil
  ) {
    self.teacherWidth = teacherWidth
    self.parityBits = parityBits
    self.testPath = testPath
    self.testLabelsPath = testLabelsPath
    self.kind = kind
    self.count = count
    self.noise = noise
    self.dimension = dimension
    self.classes = classes
    self.cells = cells
    self.alpha = alpha
    self.task = task
    self.path = path
    self.labelsPath = labelsPath
    self.labelColumn = labelColumn
    self.testFraction = testFraction
    self.seed = seed
  }

  /// Generates or loads the examples (before splitting).
  public func makeDataset() throws -> Dataset {
    var rng = SplittableRandom(seed: seed).derived("generate")
    switch kind {
    case .moons: return TwoDimensional.moons(count: count, noise: noise, using: &rng)
    case .circles: return TwoDimensional.circles(count: count, noise: noise, using: &rng)
    case .spirals: return TwoDimensional.spirals(count: count, noise: noise, using: &rng)
    case .xor: return TwoDimensional.checkerboard(count: count, noise: noise, cells: 2, using: &rng)
    case .checkerboard:
      return TwoDimensional.checkerboard(count: count, noise: noise, cells: cells, using: &rng)
    case .blobs:
      return TwoDimensional.blobs(count: count, classes: classes, spread: noise, using: &rng)
    case .teacherStudent:
      return HighDimensional.teacherStudent(
        count: count, dimension: dimension, task: task, using: &rng)
    case .randomTeacher:
      return HighDimensional.randomNetworkTeacher(
        count: count, dimension: dimension, width: teacherWidth ?? 64, task: task, using: &rng)
    case .sparseParity:
      return HighDimensional.sparseParity(
        count: count, dimension: dimension, bits: parityBits ?? 3, task: task, using: &rng)
    case .powerLaw:
      return HighDimensional.powerLawGaussian(
        count: count, dimension: dimension, alpha: alpha, task: task, using: &rng)
    case .csv:
      guard let path else { throw DataError("data.kind csv needs data.path FILE.csv") }
      return try CSVLoader.load(path: path, labelColumn: labelColumn, task: task)
    case .npy:
      guard let path, let labelsPath else {
        throw DataError("data.kind npy needs data.path FEATURES.npy and data.labelsPath LABELS.npy")
      }
      return try NPYLoader.load(featuresPath: path, labelsPath: labelsPath, task: task)
    }
  }

  /// The training and test sets: a given test file as it is, or a seeded split.
  public func load() throws -> (train: Dataset, test: Dataset) {
    if let testPath { return try loadGivenSplit(testPath: testPath) }
    if ![.csv, .npy].contains(kind) {
      // The examples, their targets and the split's copies, in Float32.
      let inputs =
        [.teacherStudent, .powerLaw, .randomTeacher, .sparseParity].contains(kind) ? dimension : 2
      // Blobs draw a centre per class, the random teacher its weights.
      let centres =
        kind == .blobs
        ? 8 * Double(classes) * 2
        : kind == .randomTeacher ? 8 * Double(teacherWidth ?? 64) * Double(dimension + 1) : 0
      try MemoryBudget.check(
        3 * 4 * Double(count) * (Double(inputs) + 1) + centres,
        for:
          "\(count) generated examples of dimension \(inputs)\(kind == .blobs ? " in \(classes) classes" : "")"
      )
    }
    let all = try makeDataset()
    var rng = SplittableRandom(seed: seed).derived("split")
    let parts = all.split(testFraction: testFraction, using: &rng)
    guard parts.train.count > 0 else {
      throw DataError(
        "the training set is empty (\(all.count) examples, test fraction \(testFraction))")
    }
    guard parts.test.count > 0 || testFraction == 0 else {
      throw DataError(
        "the test set is empty (\(all.count) examples, test fraction \(testFraction)); give more examples, or test fraction 0 to train without one"
      )
    }
    return parts
  }

  /// The training set from `path` and the test set from `testPath`, each in file order; their
  /// feature counts and targets must agree (a test label must be a class of the training set).
  func loadGivenSplit(testPath: String) throws -> (train: Dataset, test: Dataset) {
    let train: Dataset
    var test: Dataset
    switch kind {
    case .csv:
      guard testLabelsPath == nil else {
        throw DataError(
          "data.testLabelsPath is for data.kind npy; a CSV test file holds its labels")
      }
      train = try makeDataset()
      test = try CSVLoader.load(
        path: testPath, labelColumn: labelColumn, task: task, requiresTwoClasses: false)
    case .npy:
      guard let testLabelsPath else {
        throw DataError(
          "data.testPath \(testPath) needs data.testLabelsPath LABELS.npy with data.kind npy")
      }
      train = try makeDataset()
      test = try NPYLoader.load(
        featuresPath: testPath, labelsPath: testLabelsPath, task: task, requiresTwoClasses: false)
    default:
      throw DataError(
        "data.testPath is for data.kind csv or npy (\(kind.rawValue) is generated and split by data.testFraction)"
      )
    }
    guard test.inputDimension == train.inputDimension else {
      throw DataError(
        "\(testPath): \(test.inputDimension) features per example, but the training data \(path ?? "") has \(train.inputDimension)"
      )
    }
    switch (train.targets, test.targets) {
    case (.classes(_, let classes), .classes(let labels, let testClasses)):
      guard testClasses <= classes else {
        throw DataError(
          "\(testPath): label \(labels.max() ?? 0) is not a class of the training data (allowed: 0…\(classes - 1))"
        )
      }
      test.targets = .classes(labels: labels, count: classes)
    case (.values(let a), .values(let b)):
      guard a.columns == b.columns else {
        throw DataError(
          "\(testPath): \(b.columns) targets per example, but the training data has \(a.columns)")
      }
    default:
      throw DataError("\(testPath): the test targets are not of the training data's kind")
    }
    return (train, test)
  }
}

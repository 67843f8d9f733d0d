import Tensors

/// A supervised data set: inputs `(n, d)` in `Float` and either class labels or real targets.
public struct Dataset: Sendable, Equatable {
  /// What the model is asked to predict.
  public enum Targets: Sendable, Equatable {
    /// Class indices in `0..<count`.
    case classes(labels: [Int], count: Int)
    /// Real-valued targets `(n, outputs)`, fitted by mean squared error.
    case values(Tensor<Float>)
  }

  public var inputs: Tensor<Float>
  public var targets: Targets

  public init(inputs: Tensor<Float>, targets: Targets) {
    precondition(inputs.rank == 2, "inputs must be (n, d), got \(inputs.shape)")
    switch targets {
    case .classes(let labels, let count):
      precondition(labels.count == inputs.rows, "\(labels.count) labels for \(inputs.rows) rows")
      precondition(labels.allSatisfy { $0 >= 0 && $0 < count }, "labels outside 0..<\(count)")
    case .values(let values):
      precondition(values.rank == 2 && values.rows == inputs.rows, "targets \(values.shape)")
    }
    self.inputs = inputs
    self.targets = targets
  }

  /// Number of examples.
  public var count: Int { inputs.rows }
  /// Input dimension `d`.
  public var inputDimension: Int { inputs.columns }
  /// Width of the model's output: the number of classes, or of regression targets.
  public var outputDimension: Int {
    switch targets {
    case .classes(_, let count): return count
    case .values(let values): return values.columns
    }
  }

  /// Class labels (empty for regression).
  public var labels: [Int] {
    if case .classes(let labels, _) = targets { return labels }
    return []
  }

  /// Whether the targets are class labels.
  public var isClassification: Bool {
    if case .classes = targets { return true }
    return false
  }

  /// The examples at `indices`, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    let inputs = inputs.gatherRows(indices)
    switch targets {
    case .classes(let labels, let count):
      return Dataset(
        inputs: inputs, targets: .classes(labels: indices.map { labels[$0] }, count: count))
    case .values(let values):
      return Dataset(inputs: inputs, targets: .values(values.gatherRows(indices)))
    }
  }

  /// A shuffled split into training and test sets; the test set takes
  /// `round(testFraction · n)` examples.
  public func split(testFraction: Double, using rng: inout some RandomNumberGenerator)
    -> (train: Dataset, test: Dataset)
  {
    precondition(testFraction >= 0 && testFraction < 1, "test fraction \(testFraction)")
    let order = rng.permutation(count)
    let testCount = Int((testFraction * Double(count)).rounded())
    return (subset(Array(order[testCount...])), subset(Array(order[..<testCount])))
  }
}

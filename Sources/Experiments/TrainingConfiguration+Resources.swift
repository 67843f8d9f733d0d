import Data
import Tensors

extension TrainingConfiguration {
  /// Upper bounds on counts that no memory estimate covers (time, not space, grows with them).
  public enum Limits {
    /// Epochs of one run.
    public static let epochs = 10_000_000
    /// Cells per side of the checkerboard.
    public static let cells = 10_000
    /// Hidden units of the random-network teacher.
    public static let teacherWidth = 100_000
    /// Side of the decision-boundary grid (a power of two).
    public static let boundaryResolution = 8192
  }

  /// An upper estimate, in bytes, of the memory one training run holds at once (Float32):
  /// the data; parameters with their gradients, optimizer moments and a spare copy (×6); a
  /// mini-batch's activations with their gradients (×6 per unit); one forward pass over the
  /// larger of the train and test sets (×2); and the decision-boundary grid when indicators
  /// are recorded. The arrays of a run are all of these sizes, so the true peak is within a
  /// small factor below.
  public func estimatedBytes(inputs: Int, outputs: Int, trainCount: Int, testCount: Int)
    -> Double
  {
    let widths = ([inputs] + hidden + [outputs]).map(Double.init)
    var parameters = 0.0
    for (fanIn, fanOut) in zip(widths, widths.dropFirst()) { parameters += (fanIn + 1) * fanOut }
    let units = widths.reduce(0, +)
    let batch = Double(batchSize == 0 ? trainCount : min(batchSize, max(trainCount, 1)))
    let examples = Double(max(trainCount, testCount))
    var floats = (Double(trainCount) + Double(testCount)) * (Double(inputs) + Double(outputs))
    floats += 6 * parameters + 6 * batch * units + 2 * examples * units
    if let indicators, indicators.boundaryResolution > 0 {
      let r = Double(indicators.boundaryResolution)
      floats += 2 * r * r * units
    }
    return 4 * floats
  }

  /// Refuses a run whose estimate exceeds what the process may use, naming the sizes.
  public func checkMemory(train: Dataset, test: Dataset) throws {
    let bytes = estimatedBytes(
      inputs: train.inputDimension, outputs: train.outputDimension, trainCount: train.count,
      testCount: test.count)
    let shape =
      hidden.count <= 6
      ? ([train.inputDimension] + hidden + [train.outputDimension]).map(String.init).joined(
        separator: "→")
      : "\(train.inputDimension)→(\(hidden.count) hidden layers, widest \(hidden.max() ?? 0))→\(train.outputDimension)"
    try MemoryBudget.check(
      bytes, for: "a \(shape) network on \(train.count) + \(test.count) examples")
  }
}

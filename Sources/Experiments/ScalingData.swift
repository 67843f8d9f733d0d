import Data
import Tensors

/// The data of one draw of the scaling protocol: `spectrumPoints + testCount` points of the
/// configured data set with the draw's seed, as doubles; the training points are a prefix of the
/// first `spectrumPoints`, the test points the last `testCount`.
struct ScalingData {
  var inputs: Tensor<Double>
  var targets: [Double]

  init(_ data: DataConfiguration, seed: UInt64, spectrumPoints: Int, testCount: Int) throws {
    var configuration = data
    configuration.count = spectrumPoints + testCount
    configuration.seed = seed
    // The data keys are checked as `crit train` checks them.
    var training = TrainingConfiguration()
    training.data = configuration
    try training.validate()
    (inputs, targets) = try KernelCurveDraw.points(configuration)
    guard inputs.rows >= spectrumPoints + testCount else {
      throw ConfigurationError(
        key: "data",
        message:
          "needs spectrumPoints + testCount = \(spectrumPoints + testCount) points, the data set has \(inputs.rows)"
      )
    }
  }

  /// Rows `range` of the inputs.
  func rows(_ range: Range<Int>) -> Tensor<Double> {
    let d = inputs.columns
    return Tensor(
      shape: [range.count, d],
      scalars: Array(inputs.scalars[(range.lowerBound * d)..<(range.upperBound * d)]))
  }
}

import Data
import Indicators
import NN
import Statistics
import Tensors

/// What a run's own training dynamics look like (SPEC §5, training-dynamics series), measured on
/// the per-step mini-batch loss and on the per-step update sizes `‖Δθ‖₂` (all parameters):
/// DFA and rescaled-range Hurst exponents, the power-spectrum slope, Higuchi's dimension (of the
/// path, the cumulative sum of the loss fluctuations: 1.5 for white fluctuations) and the
/// integrated autocorrelation time of the loss series (critical slowing down shows as long
/// memory and a long τ), and a power-law fit of the update sizes' distribution ("avalanches").
public struct TrainingDynamicsSummary: Codable, Sendable, Equatable {
  public var steps: Int
  public var lossDFA: Double?
  public var lossRescaledRange: Double?
  public var lossSpectrumSlope: Double?
  public var lossHiguchi: Double?
  public var lossAutocorrelationTime: Double?
  public var updateSizeAlpha: Double?
  public var updateSizeAlphaStandardError: Double?
  public var updateSizeXMin: Double?
  public var updateSizeTail: Int?

  /// Measures the series (measures that need more points than the series has are `nil`).
  public init(losses: [Double], updateSizes: [Double]) {
    steps = losses.count
    lossDFA = detrendedFluctuationExponent(losses)?.exponent
    lossRescaledRange = rescaledRangeExponent(losses)?.exponent
    lossSpectrumSlope = powerSpectrumSlope(losses)?.exponent
    // Higuchi's dimension is defined for a path: the cumulative sum of the loss fluctuations.
    let mean = losses.reduce(0, +) / Double(max(losses.count, 1))
    var running = 0.0
    let path = losses.map {
      running += $0 - mean
      return running
    }
    lossHiguchi = higuchiDimension(path)?.exponent
    lossAutocorrelationTime = integratedAutocorrelationTime(losses)
    if let fit = PowerLawFit(updateSizes) {
      updateSizeAlpha = fit.alpha
      updateSizeAlphaStandardError = fit.standardError
      updateSizeXMin = fit.xMin
      updateSizeTail = fit.tailCount
    }
  }
}

/// Records the per-step series during training.
final class DynamicsRecorder {
  var losses: [Double] = []
  var updateSizes: [Double] = []
  private var before: [Tensor<Float>] = []

  /// Call before the step: keeps the parameter values (copy-on-write: the optimizer's writes
  /// copy them).
  func snapshot(_ model: MLP<Float>) { before = model.parameters.map { $0.1.value } }

  /// Call after the step with its loss.
  func record(_ model: MLP<Float>, loss: Float) {
    losses.append(Double(loss))
    var total = 0.0
    for (old, (_, parameter)) in zip(before, model.parameters) {
      let a = old.scalars
      let b = parameter.value.scalars
      for i in a.indices {
        let d = Double(b[i]) - Double(a[i])
        total += d * d
      }
    }
    updateSizes.append(total.squareRoot())
    before = []
  }
}

/// NC1 of the model's last hidden layer on `data` (classification only).
func neuralCollapse(of model: MLP<Float>, on data: Dataset) -> Double? {
  guard case .classes(let labels, let classes) = data.targets, model.depth >= 1 else { return nil }
  let trace = model.converted(to: Double.self).hiddenTrace(Tensor<Double>(data.inputs))
  guard let last = trace.last else { return nil }
  return try? neuralCollapseNC1(features: last.1, labels: labels, classes: classes)
}

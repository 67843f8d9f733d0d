import ArgumentParser
import Experiments
import Foundation

// Library enums become command-line values by their raw names; an unknown name is rejected
// by the parser with a message listing every allowed value.
extension DatasetKind: ExpressibleByArgument {}
extension PowerLawFitMethod: ExpressibleByArgument {}
extension SpectrumRoute: ExpressibleByArgument {}
extension TaskKind: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension TwoLayerNetwork.Parameterisation: ExpressibleByArgument {}
extension Initialization: ExpressibleByArgument {}
extension NormalizationKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension LearningRateSchedule.Kind: ExpressibleByArgument {}
extension RegularizationConfiguration.Kind: ExpressibleByArgument {}
extension RidgeSolver: ExpressibleByArgument {}

/// Parses a comma-separated list of integers such as `64,64,64`.
func parseWidths(_ text: String, option: String = "--hidden") throws -> [Int] {
  try text.split(separator: ",", omittingEmptySubsequences: false).map { piece in
    guard let width = Int(piece.trimmingCharacters(in: .whitespaces)) else {
      throw ValidationError(
        "\(option): '\(text)' is not a comma-separated list of integers (e.g. 64,64,64)")
    }
    return width
  }
}
extension TrainabilityVariant: ExpressibleByArgument {}
extension TrainabilityPrecision: ExpressibleByArgument {}
extension TrainabilityZoomTarget: ExpressibleByArgument {}
extension FluctuationWindows: ExpressibleByArgument {}
extension BoxCountEstimator: ExpressibleByArgument {}

import Experiments
import Foundation
import NN

extension RankCollapse: SeededConfiguration {}

/// One stack of freshly drawn transformer blocks measured at every depth (``RankCollapse``):
/// the relative residual ‖X − 1x̄ᵀ‖/‖X‖ and the effective rank of the tokens. The detail holds
/// every depth's measures as JSON.
public enum RankCollapseKind: ExperimentKind {
  public static let name = "rank-collapse"
  public static let about =
    "token rank against depth in a stack of freshly drawn transformer blocks"
  public static var defaults: RankCollapse { AttentionProtocol.quick().collapseRuns[0].run }
  public static var complete: RankCollapse { defaults }

  public static func validate(_ configuration: RankCollapse) throws {
    try configuration.validate()
  }

  public static func run(_ configuration: RankCollapse, context: RunContext) throws
    -> RunOutcome?
  {
    let clock = ContinuousClock()
    let start = clock.now
    let layers = try configuration.run()
    let encoder = JSONEncoder.forRuns
    encoder.outputFormatting = [.sortedKeys]
    let last = layers.last
    return RunOutcome(
      end: .completed,
      summary: [
        "residual": last?.residual ?? .nan, "effectiveRank": last?.effectiveRank ?? .nan,
        "depthsMeasured": Double(layers.count - 1),
      ].filter { $0.value.isFinite },
      detail: String(decoding: try encoder.encode(layers), as: UTF8.self),
      seconds: (clock.now - start).inSeconds)
  }

  public static let reportColumns = [
    ReportColumn(
      "residual", title: "residual at the last depth", format: "%.3g", higherIsBetter: true),
    ReportColumn("effectiveRank", title: "effective rank", format: "%.2f", higherIsBetter: true),
  ]
}

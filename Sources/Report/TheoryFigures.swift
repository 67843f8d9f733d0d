import Foundation
import Theory

/// Figures of the theory commands: the phase diagram and λ_max against the gain.
public enum TheoryFigures {
  /// The phase diagram as a bare PNG: ln χ₁ in a diverging scale saturating at |ln χ₁| = 1
  /// (blue ordered, red chaotic), the critical line's pixels in black.
  public static func phaseDiagramPNG(_ diagram: PhaseDiagram) -> [UInt8] {
    let marks = diagram.criticalWeightVariance.enumerated().compactMap {
      row, w -> (column: Int, row: Int)? in
      guard w.isFinite else { return nil }
      return (Int(w / diagram.maximumWeightVariance * Double(diagram.width)), row)
    }
    return divergingHeatMapPNG(values: diagram.lnChi1, limit: 1, marks: marks)
  }

  /// The phase diagram as an SVG with axes and the critical line χ₁ = 1.
  public static func phaseDiagramSVG(_ diagram: PhaseDiagram) -> String {
    SVGPlot.heatMap(
      title: "ln χ₁ for \(diagram.activation.rawValue): ordered (blue), chaotic (red)",
      xLabel: "σ_w²", yLabel: "σ_b²",
      png: divergingHeatMapPNG(values: diagram.lnChi1, limit: 1),
      xRange: (0, diagram.maximumWeightVariance), yRange: (0, diagram.maximumBiasVariance),
      overlays: [
        PlotSeries(
          name: "χ₁ = 1", color: "#000", x: diagram.criticalWeightVariance,
          y: diagram.biasVariances)
      ],
      caption: "black: the critical line χ₁ = 1; colour saturates at |ln χ₁| = 1")
  }

  /// λ_max against the gain: the mean-field curve on a fine grid and the simulated networks.
  public static func lyapunovChart(_ scan: LyapunovScan, simulated: [Double]) -> String {
    let fine = (0...120).map { (scan.gains.max() ?? 3) * 1.05 * Double($0) / 120 }.filter {
      $0 > 0
    }
    return SVGPlot.lineChart(
      title: "λ_max of random \(scan.activation.rawValue) networks", xLabel: "gain g",
      yLabel: "λ_max per step",
      series: [
        PlotSeries(
          name: "mean field", color: SVGPlot.palette[0], x: fine, y: fine.map(scan.meanField)),
        PlotSeries(
          name: "simulated (N = \(scan.units))", color: SVGPlot.palette[1], x: scan.gains,
          y: simulated, dashed: true),
      ], references: [ReferenceLine(y: 0, label: "edge of chaos")])
  }
}

import Experiments
import Foundation
import Statistics

/// The `sample-complexity` protocol's report (SPEC §7 protocol 8): learnability curves A(P/d)
/// per d for the network and its GP with 95 % bands over draws, P*(d) on log–log axes with the
/// fitted and the predicted slopes, the mixed target's error parts over training time, the
/// histogram of neuron alignments, the tables and the verdicts.
public struct SampleComplexityReport {
  public var summary: SampleComplexitySummary
  public var seconds: Double
  public var command: String

  public init(summary: SampleComplexitySummary, seconds: Double, command: String) {
    self.summary = summary
    self.seconds = seconds
    self.command = command
  }

  public static let thresholdHeader = ["learner", "A level", "d", "P*", "95 % interval", "P*/d"]

  /// One row per learner, level and d.
  public var thresholdRows: [[String]] {
    let d = summary.definition
    return SampleComplexitySummary.Learner.allCases.flatMap { learner in
      d.levels.flatMap { level in
        d.dimensions.map { dimension in
          let t = summary.threshold(learner, dimension: dimension, level: level)
          return [
            learner.rawValue, String(format: "%.2f", level), "\(dimension)",
            SampleComplexitySummary.describe(t.estimate),
            "[\(SampleComplexitySummary.describeEnd(t.lower)), \(SampleComplexitySummary.describeEnd(t.upper))]",
            t.estimate.value.map { String(format: "%.1f", $0 / Double(dimension)) } ?? "–",
          ]
        }
      }
    }
  }

  public static let slopeHeader = [
    "learner", "A level", "slope of log P* on log d", "95 % interval", "predicted", "fitted d",
  ]

  public var slopeRows: [[String]] {
    SampleComplexitySummary.Learner.allCases.flatMap { learner in
      summary.definition.levels.map { level in
        guard let fit = summary.slope(learner, level: level) else {
          return [
            learner.rawValue, String(format: "%.2f", level), "–", "fewer than 2 d crossed",
            String(format: "%.0f", learner.predictedSlope), "",
          ]
        }
        return [
          learner.rawValue, String(format: "%.2f", level), String(format: "%.2f", fit.slope),
          String(format: "[%.2f, %.2f]", fit.lower, fit.upper),
          String(format: "%.0f", learner.predictedSlope),
          fit.dimensions.map(String.init).joined(separator: ", "),
        ]
      }
    }
  }

  static func table(_ header: [String], _ rows: [[String]]) -> String {
    "<table><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr>"
      + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined()
      + "</table>"
  }

  /// A(P/d) of one learner, one line per d.
  func learnabilityChart(_ learner: SampleComplexitySummary.Learner) -> String {
    let series = summary.definition.dimensions.enumerated().map { i, d in
      let curve = summary.curve(learner, dimension: d)
      let mean = curve.mean
      return PlotSeries(
        name: "d = \(d)", color: SVGPlot.palette[i % SVGPlot.palette.count],
        x: curve.samples.map { log2(Double($0) / Double(d)) }, y: mean.map(\.mean),
        band: (mean.map(\.lower), mean.map(\.upper)))
    }
    return SVGPlot.lineChart(
      title: "\(learner == .network ? "network" : "Gaussian process"): overlap A against P/d",
      xLabel: "log₂(P/d)", yLabel: "A = ⟨f, y⟩/⟨y, y⟩", series: series,
      references: summary.definition.levels.map {
        ReferenceLine(y: $0, label: String(format: "A = %.2g", $0))
      }, width: 540, height: 360)
  }

  /// log P* against log d for both learners, with the fitted lines and the predicted slopes
  /// drawn through the points' centre.
  func thresholdChart(level: Double) -> String {
    var series: [PlotSeries] = []
    for (i, learner) in SampleComplexitySummary.Learner.allCases.enumerated() {
      let points = summary.definition.dimensions.compactMap { d -> (Double, Double)? in
        summary.threshold(learner, dimension: d, level: level).estimate.value.map {
          (log10(Double(d)), log10($0))
        }
      }
      guard !points.isEmpty else { continue }
      series.append(
        PlotSeries(
          name: "\(learner.rawValue) P*", color: SVGPlot.palette[i], x: points.map(\.0),
          y: points.map(\.1)))
      guard points.count >= 2, let fit = summary.slope(learner, level: level) else { continue }
      let cx = points.map(\.0).reduce(0, +) / Double(points.count)
      let cy = points.map(\.1).reduce(0, +) / Double(points.count)
      let ends = [points.map(\.0).min()!, points.map(\.0).max()!]
      series.append(
        PlotSeries(
          name: String(format: "%@ fit d^%.2f", learner.rawValue, fit.slope),
          color: SVGPlot.palette[i], x: ends, y: ends.map { cy + fit.slope * ($0 - cx) },
          dashed: true))
      series.append(
        PlotSeries(
          name: "predicted d^\(Int(learner.predictedSlope))", color: SVGPlot.palette[i + 4],
          x: ends, y: ends.map { cy + learner.predictedSlope * ($0 - cx) }, dashed: true))
    }
    return SVGPlot.lineChart(
      title: String(format: "P*(d) where A reaches %.2g", level), xLabel: "log₁₀ d",
      yLabel: "log₁₀ P*", series: series, width: 540, height: 360)
  }

  func stagesChart(_ stages: SampleComplexitySummary.Stages) -> String {
    let x = stages.steps.map(Double.init)
    let parts: [(String, [MeanInterval])] = [
      ("linear part", stages.linearError), ("cubic part", stages.cubicError),
      ("rest", stages.remainingError),
    ]
    return SVGPlot.lineChart(
      title: "mixed target: test error parts over training",
      xLabel: "Langevin step", yLabel: "log₁₀ test error part",
      series: parts.enumerated().map { i, part in
        // Means over draws only: with three draws a t-interval's lower edge crosses zero, which
        // a log axis cannot show.
        PlotSeries(
          name: part.0, color: SVGPlot.palette[i], x: x,
          y: part.1.map { log10(max($0.mean, 1e-12)) })
      },
      references: [
        ReferenceLine(y: log10(stages.gaussianProcessError.mean), label: "GP test error")
      ],
      width: 540, height: 360)
  }

  /// Histograms of the alignments at the largest P/d, one step line per d (fraction of
  /// neurons per bin of width 0.05).
  func alignmentChart() -> String {
    let bins = 20
    let series = summary.definition.dimensions.enumerated().compactMap { i, d -> PlotSeries? in
      let values = summary.alignments(dimension: d)
      guard !values.isEmpty else { return nil }
      var counts = [Double](repeating: 0, count: bins)
      for v in values { counts[min(bins - 1, max(0, Int(v * Double(bins))))] += 1 }
      var x: [Double] = []
      var y: [Double] = []
      for (b, count) in counts.enumerated() {
        x += [Double(b) / Double(bins), Double(b + 1) / Double(bins)]
        y += [count / Double(values.count), count / Double(values.count)]
      }
      return PlotSeries(
        name: "d = \(d)", color: SVGPlot.palette[i % SVGPlot.palette.count], x: x, y: y)
    }
    return SVGPlot.lineChart(
      title: "neuron alignments |w·w*|/|w| at each d's largest P",
      xLabel: "alignment", yLabel: "fraction of neurons", series: series, width: 540,
      height: 360)
  }

  public func html() -> String {
    let d = summary.definition
    var page =
      htmlPageHead(title: "Feature learning and its sample complexity (\(d.name))")
        + """
        <h1>Feature learning and its sample complexity</h1>
        <p class="note">Inputs x ~ N(0, I_d), target y = He₃(w*·x) = z³ − 3z for a random unit w*. Two-layer erf networks f(x) = Σ_c a_c erf(w_c·x) of width N = \(d.widthFactor)d, w_c ~ N(0, I/d), a_c ~ N(0, 1/N), no biases, sampled from the posterior ∝ exp(−½Σ(f − y)²/T)·prior at T = \(d.temperature) by Langevin dynamics with a step per layer (\(d.steps) steps); A = E[f y]/E[y²] in closed form, averaged over the last quarter of each run. The Gaussian process is NNGP regression with the same network's kernel and ridge T on the same points, A on \(d.testCount) test points. d = \(d.dimensions.map(String.init).joined(separator: ", ")); P/d = \(d.ratios.map(String.init).joined(separator: ", ")) for both (networks up to \(d.maxNetworkSamples) points), and the GP alone at P/d = \(d.kernelRatios.map(String.init).joined(separator: ", ")) up to \(d.maxKernelSamples) points; \(d.seeds) draws each; bands and intervals are 95 %. The runs took \(String(format: "%.0f", summary.computeSeconds)) s of compute (this invocation \(String(format: "%.1f", seconds)) s). Command: <code>\(escape(command))</code>.</p>
        <h2>What held and what did not</h2><ul>
        """
    for sentence in summary.verdicts() { page += "<li>\(escape(sentence))</li>" }
    page += "</ul><h2>Slopes of P*(d)</h2>" + Self.table(Self.slopeHeader, slopeRows)
    page += "<h2>Learnability</h2><div class=\"plots\">"
    page += learnabilityChart(.network) + learnabilityChart(.gaussianProcess)
    for level in d.levels { page += thresholdChart(level: level) }
    page += "</div><h2>The pattern and the stages</h2><div class=\"plots\">" + alignmentChart()
    if let stages = summary.stages { page += stagesChart(stages) }
    page += "</div><h2>Thresholds P*</h2>" + Self.table(Self.thresholdHeader, thresholdRows)
    return page + "</body></html>\n"
  }
}

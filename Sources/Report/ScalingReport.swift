import Experiments
import Foundation
import Statistics

/// The `scaling` protocol's report (SPEC §7 protocol 6): learning curves of kernel regression,
/// of the spectral theory and of trained networks on log–log axes with 95 % bands over draws;
/// the kernels' spectra with their power-law fits; the renormalised ridge κ(P); the
/// finite-width deviation from the kernel limit against P; the exponent table and the verdicts.
public struct ScalingReport {
  public var summary: ScalingSummary
  public var seconds: Double
  public var command: String

  public init(summary: ScalingSummary, seconds: Double, command: String) {
    self.summary = summary
    self.seconds = seconds
    self.command = command
  }

  /// Rows of the exponent table: curve, β with its 95 % bootstrap interval, P range.
  public var exponentRows: [[String]] {
    summary.exponentRows.map { row in
      [
        row.name, String(format: "%.3f", row.exponent),
        String(format: "[%.3f, %.3f]", row.lower, row.upper),
        row.name.contains("min(")
          ? "modes \(summary.draws.first?.fittedModes.map(String.init).joined(separator: "…") ?? "")"
          : "P = \(row.samples.lowerBound)…\(row.samples.upperBound)",
      ]
    }
  }

  public static let exponentHeader = ["curve", "β", "95 % interval", "fitted over"]

  /// Rows of the kernel table: P, then per kernel measured, theory (both mean ± half-width),
  /// paired ratio and whether the measurement is in the theory's band.
  public var kernelRows: [[String]] {
    let curves = ScalingSummary.Kernel.allCases.map { summary.curves($0) }
    return summary.definition.samples.indices.map { i in
      ["\(summary.definition.samples[i])"]
        + curves.flatMap { c in
          [
            Self.interval(c.measured[i]), Self.interval(c.theory[i]),
            String(format: "%.3f ± %.3f", c.ratio[i].mean, c.ratio[i].halfWidth),
            c.inBand[i] ? "yes" : "no",
          ]
        }
    }
  }

  public static let kernelHeader = [
    "P", "NNGP measured", "NNGP theory", "ratio", "in band", "NTK measured", "NTK theory",
    "ratio", "in band",
  ]

  /// Rows of the network table: width, P, test error, NTK error, deviation, unconverged runs.
  public var networkRows: [[String]] {
    summary.widths.flatMap { w in
      summary.definition.networkSamples.indices.map { i in
        [
          "\(w.width)", "\(summary.definition.networkSamples[i])", Self.interval(w.testError[i]),
          Self.interval(w.kernelError[i]),
          String(format: "%+.3f ± %.3f", w.deviation[i].mean, w.deviation[i].halfWidth),
        ]
      }
    }
  }

  /// Rows of the ridgeless table (empty when the draws have no ridgeless curves): P, then per
  /// kernel the λ = 0 measured error, theory and whether they overlap.
  public var ridgelessRows: [[String]] {
    let curves = ScalingSummary.Kernel.allCases.compactMap { summary.ridgelessCurves($0) }
    guard curves.count == ScalingSummary.Kernel.allCases.count else { return [] }
    return summary.definition.samples.indices.map { i in
      ["\(summary.definition.samples[i])"]
        + curves.flatMap { c in
          [Self.interval(c.measured[i]), Self.interval(c.theory[i]), c.inBand[i] ? "yes" : "no"]
        }
    }
  }

  public static let ridgelessHeader = [
    "P", "NNGP measured, λ = 0", "NNGP theory, λ = 0", "in band", "NTK measured, λ = 0",
    "NTK theory, λ = 0", "in band",
  ]

  public static let networkHeader = [
    "width", "P", "network test MSE", "NTK regression MSE", "relative deviation",
  ]

  static func interval(_ value: MeanInterval) -> String {
    value.halfWidth.isFinite
      ? String(format: "%.4g ± %.2g", value.mean, value.halfWidth)
      : String(format: "%.4g", value.mean)
  }

  /// log₁₀ of a curve with its band. A lower edge at or below zero (a wide interval of a
  /// positive quantity) is drawn as the upper edge mirrored about the mean in log space.
  static func logSeries(
    _ name: String, color: String, samples: [Int], values: [MeanInterval], dashed: Bool = false
  ) -> PlotSeries {
    let upper = values.map { log10($0.halfWidth.isFinite ? $0.upper : $0.mean) }
    let middle = values.map { log10($0.mean) }
    let lower = values.indices.map { i in
      let v = values[i]
      guard v.halfWidth.isFinite else { return middle[i] }
      return v.lower > 0 ? log10(v.lower) : 2 * middle[i] - upper[i]
    }
    return PlotSeries(
      name: name, color: color, x: samples.map { log10(Double($0)) }, y: middle,
      band: (lower, upper), dashed: dashed)
  }

  public func html() -> String {
    let d = summary.definition
    var page =
      htmlPageHead(title: "Scaling laws and the kernel limit (\(d.name))")
        + """
        <h1>Scaling laws and the kernel limit</h1>
        <p class="note">Power-law Gaussian inputs (d = \(d.data.dimension), covariance eigenvalues k^−(1+α), α = \(d.data.alpha)) with a linear teacher; the kernels of a two-layer \(d.activation.rawValue) network (σ_w = \(String(format: "%.4g", d.weightStd)), σ_b = \(d.biasStd), neural-tangents' conventions, NTK parameterisation). \(d.draws) draws, each one teacher and data set: spectra from M = \(d.spectrumPoints) points, kernel ridge regression (λ = \(d.ridge), Gram matrix not divided by P) trained on the first P and tested on \(d.testCount) further points; the theory is κ = λ + κ Σ η_k/(Pη_k + κ), E_g = Σ κ²v_k²/((Pη_k + κ)²(1 − γ)) on each draw's measured spectrum. Networks: widths \(d.widths.map(String.init).joined(separator: ", ")), centred, trained by full-batch Nesterov gradient descent on ½Σ(f − f₀ − y)² + (λ/2)‖θ − θ₀‖² until the gradient norm is below \(d.tolerance) of its initial value (at most \(d.maximumSteps) steps), on the first \(d.networkDraws) draws' data. Bands are 95 % intervals over draws. \(String(format: "%.1f", seconds)) s. Command: <code>\(command)</code>.</p>
        <h2>What held and what did not</h2><ul>
        """
    for sentence in summary.verdicts() { page += "<li>\(sentence)</li>" }
    page += "</ul><h2>Exponents β of a·P^−β + c</h2><table><tr>"
    page += Self.exponentHeader.map { "<th>\($0)</th>" }.joined() + "</tr>"
    for row in exponentRows { page += "<tr>\(row.map { "<td>\($0)</td>" }.joined())</tr>" }
    page += "</table><h2>Learning curves</h2><div class=\"plots\">"
    for kernel in ScalingSummary.Kernel.allCases {
      let c = summary.curves(kernel)
      var series = [
        Self.logSeries(
          "\(kernel.rawValue) regression", color: SVGPlot.palette[0], samples: d.samples,
          values: c.measured),
        Self.logSeries(
          "\(kernel.rawValue) theory", color: SVGPlot.palette[1], samples: d.samples,
          values: c.theory, dashed: true),
      ]
      if let without = summary.ridgelessCurves(kernel) {
        series += [
          Self.logSeries(
            "\(kernel.rawValue) regression, λ = 0", color: SVGPlot.palette[6], samples: d.samples,
            values: without.measured),
          Self.logSeries(
            "\(kernel.rawValue) theory, λ = 0", color: SVGPlot.palette[7], samples: d.samples,
            values: without.theory, dashed: true),
        ]
      }
      if kernel == .ntk {
        for (i, w) in summary.widths.enumerated() {
          series.append(
            Self.logSeries(
              "network width \(w.width)", color: SVGPlot.palette[(i + 2) % SVGPlot.palette.count],
              samples: d.networkSamples, values: w.testError))
        }
      }
      page += SVGPlot.lineChart(
        title: "\(kernel.rawValue): test error against P", xLabel: "log₁₀ P",
        yLabel: "log₁₀ test MSE", series: series, width: 540, height: 360)
    }
    page += "</div><h2>Spectra and their power laws (first draw)</h2><div class=\"plots\">"
    for kernel in ScalingSummary.Kernel.allCases {
      guard let part = summary.draws.first?[keyPath: kernel.path] else { continue }
      let fitted = (summary.draws.first?.fittedModes).map { $0[0]...$0[1] } ?? 2...2
      let positive = zip(part.modes, part.eigenvalues).filter { $0.1 > 0 }
      let powers = zip(part.modes, part.targetPower).filter { $0.1 > 0 }
      var series = [
        PlotSeries(
          name: "η_k", color: SVGPlot.palette[0], x: positive.map { log10(Double($0.0)) },
          y: positive.map { log10($0.1) }),
        PlotSeries(
          name: "v_k² (target power)", color: SVGPlot.palette[2],
          x: powers.map { log10(Double($0.0)) }, y: powers.map { log10($0.1) }),
      ]
      let inRange = positive.filter { fitted.contains($0.0) }
      if !inRange.isEmpty, part.eigenvalueExponent.isFinite {
        let b = part.eigenvalueExponent
        var total = 0.0
        for (mode, eigenvalue) in inRange { total += log10(eigenvalue) + b * log10(Double(mode)) }
        let intercept = total / Double(inRange.count)
        let ends = [Double(fitted.lowerBound), Double(fitted.upperBound)].map(log10)
        series.append(
          PlotSeries(
            name: String(format: "fit k^−%.2f", b), color: SVGPlot.palette[1], x: ends,
            y: ends.map { intercept - b * $0 }, dashed: true))
      }
      page += SVGPlot.lineChart(
        title: String(
          format: "%@ spectrum: b = %.2f, a = %.2f", kernel.rawValue, part.eigenvalueExponent,
          part.targetExponent), xLabel: "log₁₀ k", yLabel: "log₁₀ η_k, log₁₀ v_k²",
        series: series, width: 540, height: 360)
    }
    page += "</div><h2>The renormalised ridge κ(P)</h2><div class=\"plots\">"
    page += SVGPlot.lineChart(
      title: "κ(P), the flowing coupling (λ = \(d.ridge))", xLabel: "log₁₀ P",
      yLabel: "log₁₀ κ",
      series: ScalingSummary.Kernel.allCases.enumerated().flatMap { i, kernel in
        [
          Self.logSeries(
            kernel.rawValue, color: SVGPlot.palette[i], samples: d.samples,
            values: summary.curves(kernel).kappa)
        ]
          + (summary.ridgelessCurves(kernel).map { without in
            [
              Self.logSeries(
                "\(kernel.rawValue), λ = 0", color: SVGPlot.palette[i + 4], samples: d.samples,
                values: without.kappa, dashed: true)
            ]
          } ?? [])
      }, references: [ReferenceLine(y: log10(max(d.ridge, 1e-300)), label: "log₁₀ λ")],
      width: 540, height: 360)
    page += SVGPlot.lineChart(
      title: "finite width: (network − NTK regression)/NTK regression", xLabel: "log₁₀ P",
      yLabel: "relative deviation",
      series: summary.widths.enumerated().map { i, w in
        PlotSeries(
          name: "width \(w.width)", color: SVGPlot.palette[(i + 2) % SVGPlot.palette.count],
          x: d.networkSamples.map { log10(Double($0)) }, y: w.deviation.map(\.mean),
          band: (w.deviation.map(\.lower), w.deviation.map(\.upper)))
      }, references: [ReferenceLine(y: 0, label: "kernel limit")], width: 540, height: 360)
    page += "</div><h2>Kernel regression against the theory</h2><table><tr>"
    page += Self.kernelHeader.map { "<th>\($0)</th>" }.joined() + "</tr>"
    for row in kernelRows { page += "<tr>\(row.map { "<td>\($0)</td>" }.joined())</tr>" }
    if !ridgelessRows.isEmpty {
      page += "</table><h2>Kernel regression without ridge</h2><table><tr>"
      page += Self.ridgelessHeader.map { "<th>\($0)</th>" }.joined() + "</tr>"
      for row in ridgelessRows { page += "<tr>\(row.map { "<td>\($0)</td>" }.joined())</tr>" }
    }
    page += "</table><h2>Trained networks</h2><table><tr>"
    page += Self.networkHeader.map { "<th>\($0)</th>" }.joined() + "</tr>"
    for row in networkRows { page += "<tr>\(row.map { "<td>\($0)</td>" }.joined())</tr>" }
    return page + "</table></body></html>\n"
  }
}

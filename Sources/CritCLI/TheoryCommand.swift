import ArgumentParser
import Dispatch
import Foundation
import NN
import Report
import Runner
import Tensors
import Theory

/// `crit theory`: mean-field predictions, printed and drawn.
struct TheoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "theory", abstract: "Mean-field theory of deep random networks.",
    subcommands: [
      MeanFieldCommand.self, CriticalLineCommand.self, PhaseDiagramCommand.self,
      LyapunovCommand.self,
    ])
}

/// The activation, σ_w² and σ_b² of a mean-field question.
struct FieldOptions: ParsableArguments {
  @Option(help: "Activation (\(Activation.allCases.map(\.rawValue).joined(separator: ", "))).")
  var activation: Activation = .tanh

  @Option(name: .customLong("sigma-w2"), help: "Weight variance σ_w² (weights N(0, σ_w²/N)).")
  var weightVariance = 1.5

  @Option(name: .customLong("sigma-b2"), help: "Bias variance σ_b².")
  var biasVariance = 0.05

  func validate() throws {
    if !(weightVariance > 0) {
      throw ValidationError("--sigma-w2: must be a positive number, got \(weightVariance)")
    }
    try checkNumber(weightVariance, "--sigma-w2", 0...MeanField.maximumVariance)
    try checkNumber(biasVariance, "--sigma-b2", 0...MeanField.maximumVariance)
  }
}

/// `crit theory meanfield`: q*, χ₁, c*, ξ_q, ξ_c and the phase at one point.
struct MeanFieldCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "meanfield", abstract: "Fixed points, χ₁ and depth scales at one (σ_w², σ_b²).")

  @OptionGroup var field: FieldOptions

  func run() throws {
    let theory = MeanField(
      activation: field.activation, weightVariance: field.weightVariance,
      biasVariance: field.biasVariance)
    let q = theory.fixedPointLength
    let chi = theory.chi1(q: q)
    let scales = theory.depthScales
    let phase = abs(chi - 1) < 1e-9 ? "critical (edge of chaos)" : chi < 1 ? "ordered" : "chaotic"
    func number(_ x: Double) -> String { x.isFinite ? String(format: "%.7g", x) : "∞" }
    print(
      renderTable(
        header: [
          "\(field.activation.rawValue), σ_w² = \(number(field.weightVariance)), σ_b² = \(number(field.biasVariance))",
          "value",
        ],
        rows: [
          ["q* (fixed-point length)", number(q)],
          ["χ₁ = σ_w² E[φ′(√q* z)²]", number(chi)],
          ["c* (fixed-point correlation)", number(theory.fixedPointCorrelation)],
          ["ξ_q (length depth scale)", number(scales.length)],
          ["ξ_c (correlation depth scale)", number(scales.correlation)],
          ["phase", phase],
          [
            "critical σ_w² at this σ_b²",
            number(
              criticalWeightVariance(activation: field.activation, biasVariance: field.biasVariance)
            ),
          ],
        ]))
  }
}

/// `crit theory critical-line`: σ_w²*(σ_b²) over a range, as a table and an SVG chart.
struct CriticalLineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "critical-line", abstract: "The order–chaos transition σ_w²*(σ_b²).")

  @Option(
    help:
      "Activations, comma-separated (\(Activation.allCases.map(\.rawValue).joined(separator: ", ")))."
  )
  var activations = "tanh,erf,relu"

  @Option(name: .customLong("max-sigma-b2"), help: "Largest σ_b².")
  var maximumBiasVariance = 0.5

  @Option(help: "Points on the line.")
  var points = 11

  @Option(help: "Write the chart here (SVG).")
  var out: String?

  func run() throws {
    if let out { try OutputPath.checkFile(out, option: "--out") }
    let names = activations.split(separator: ",").map {
      String($0).trimmingCharacters(in: .whitespaces)
    }
    let chosen = try names.map { name -> Activation in
      guard let activation = Activation(rawValue: name) else {
        throw ValidationError(
          "--activations \(name): unknown activation (allowed: \(Activation.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
      }
      return activation
    }
    try checkCount(points, "--points", 2...10_000)
    guard maximumBiasVariance > 0 else {
      throw ValidationError("--max-sigma-b2: must be positive, got \(maximumBiasVariance)")
    }
    try checkNumber(maximumBiasVariance, "--max-sigma-b2", 0...MeanField.maximumVariance)
    let biases = (0..<points).map { maximumBiasVariance * Double($0) / Double(points - 1) }
    var columns: [[Double]] = Array(repeating: [], count: chosen.count)
    for (a, activation) in chosen.enumerated() {
      columns[a] = biases.map { criticalWeightVariance(activation: activation, biasVariance: $0) }
    }
    print(
      renderTable(
        header: ["σ_b²"] + chosen.map { "σ_w²* \($0.rawValue)" },
        rows: biases.enumerated().map { i, b in
          [String(format: "%.4g", b)] + columns.map { String(format: "%.7f", $0[i]) }
        }))
    if let out {
      let series = chosen.enumerated().map { a, activation in
        PlotSeries(
          name: activation.rawValue, color: SVGPlot.palette[a % SVGPlot.palette.count],
          x: biases, y: columns[a])
      }
      let svg = SVGPlot.lineChart(
        title: "critical line χ₁ = 1 (ordered below, chaotic above)", xLabel: "σ_b²",
        yLabel: "σ_w²*", series: series)
      try svg.write(toFile: out, atomically: true, encoding: .utf8)
      print(out)
    }
  }
}

/// `crit theory phase-diagram`: ln χ₁ over (σ_w², σ_b²) as a PNG, critical line in black.
struct PhaseDiagramCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "phase-diagram",
    abstract:
      "ln χ₁ over σ_w² ∈ [0, max] × σ_b² ∈ [0, max] as a PNG: blue ordered, white critical, red chaotic; the critical line in black."
  )

  @Option(help: "Activation.")
  var activation: Activation = .tanh

  @Option(name: .customLong("max-sigma-w2"), help: "Largest σ_w² (horizontal axis).")
  var maximumWeightVariance = 4.0

  @Option(name: .customLong("max-sigma-b2"), help: "Largest σ_b² (vertical axis, upwards).")
  var maximumBiasVariance = 0.5

  @Option(help: "Image width in pixels (height is half of it).")
  var width = 240

  @Option(help: "Output file: SVG with axes and the critical line (.svg) or the bare image (.png).")
  var out = "phase-diagram.svg"

  func run() throws {
    try OutputPath.checkFile(out, option: "--out")
    guard width >= 8 && width <= 4096 else {
      throw ValidationError("--width: must be in 8…4096, got \(width)")
    }
    guard maximumWeightVariance > 0, maximumBiasVariance > 0 else {
      throw ValidationError("--max-sigma-w2 and --max-sigma-b2 must be positive")
    }
    try checkNumber(maximumWeightVariance, "--max-sigma-w2", 0...MeanField.maximumVariance)
    try checkNumber(maximumBiasVariance, "--max-sigma-b2", 0...MeanField.maximumVariance)
    let height = max(4, width / 2)
    let activation = self.activation
    let maxW = maximumWeightVariance
    let maxB = maximumBiasVariance
    let width = self.width
    let quadrature = GaussianQuadrature(points: 81)
    // One row per work item: ln χ₁ along σ_w², and the critical σ_w² at the row's σ_b².
    let computed = ParallelMap.all(
      Array(0..<height), jobs: ProcessInfo.processInfo.activeProcessorCount
    ) { _, row -> (values: [Double], critical: Double) in
      let b = maxB * Double(height - 1 - row) / Double(height - 1)
      let values = (0..<width).map { column in
        let w = maxW * (Double(column) + 0.5) / Double(width)
        return Foundation.log(
          MeanField(
            activation: activation, weightVariance: w, biasVariance: b, quadrature: quadrature
          ).chi1())
      }
      return (
        values,
        criticalWeightVariance(activation: activation, biasVariance: b, quadrature: quadrature)
      )
    }
    let rows = (values: computed.map(\.values), critical: computed.map(\.critical))
    if out.hasSuffix(".png") {
      let marks = rows.critical.enumerated().compactMap { row, w -> (column: Int, row: Int)? in
        guard w.isFinite else { return nil }
        return (Int(w / maxW * Double(width)), row)
      }
      try Data(divergingHeatMapPNG(values: rows.values, limit: 1, marks: marks)).write(
        to: URL(fileURLWithPath: out))
    } else {
      let biases = (0..<height).map { maxB * Double(height - 1 - $0) / Double(height - 1) }
      let svg = SVGPlot.heatMap(
        title: "ln χ₁ for \(activation.rawValue): ordered (blue), chaotic (red)",
        xLabel: "σ_w²", yLabel: "σ_b²",
        png: divergingHeatMapPNG(values: rows.values, limit: 1), xRange: (0, maxW),
        yRange: (0, maxB),
        overlays: [
          PlotSeries(name: "χ₁ = 1", color: "#000", x: rows.critical, y: biases)
        ],
        caption: "black: the critical line χ₁ = 1; colour saturates at |ln χ₁| = 1")
      try svg.write(toFile: out, atomically: true, encoding: .utf8)
    }
    print(out)
  }
}

/// `crit theory lyapunov`: λ_max of random recurrent networks, mean field beside simulation.
struct LyapunovCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lyapunov",
    abstract:
      "Maximal Lyapunov exponent of h ← φ(g W h + b): mean field beside the QR method on simulated networks."
  )

  @Option(help: "Activation.")
  var activation: Activation = .tanh

  @Option(help: "Gains g, comma-separated.")
  var gains = "0.5,0.9,1.2,1.5,2,3"

  @Option(help: "Units N of each simulated network.")
  var units = 1000

  @Option(help: "Steps averaged (after the transient).")
  var steps = 3000

  @Option(help: "Transient steps discarded.")
  var transient = 500

  @Option(name: .customLong("sigma-b2"), help: "Bias variance σ_b².")
  var biasVariance = 0.0

  @Option(help: "Seed of the networks.")
  var seed: UInt64 = 0

  @Option(
    help:
      "Drive each unit with independent N(0, s²) noise every step (mean field adds s² to the variance)."
  )
  var drive = 0.0

  @Option(help: "Lyapunov exponents to compute per network (the first k of the spectrum).")
  var exponents = 1

  @Option(help: "Write a chart of λ_max against g here (SVG).")
  var out: String?

  func run() throws {
    if let out { try OutputPath.checkFile(out, option: "--out") }
    // The mean-field side integrates with variance g²·q* + σ_b² + drive², accurate up to 10⁶.
    let values = try numberList(
      gains, flag: "--gains", "every gain must be a finite number in (0, 1000]"
    ) { $0 > 0 && $0 <= 1000 }
    guard units >= 2 && units <= 20_000 else {
      throw ValidationError("--units: must be in 2…20000, got \(units)")
    }
    try checkCount(steps, "--steps", 1...OptionLimits.steps)
    try checkCount(transient, "--transient", 0...OptionLimits.steps)
    try checkNumber(biasVariance, "--sigma-b2", 0...MeanField.maximumVariance)
    try checkNumber(drive, "--drive", 0...1000)
    guard exponents >= 1 && exponents <= units else {
      throw ValidationError("--exponents: must be in 1…units (\(units)), got \(exponents)")
    }
    var progress = ProgressBar(total: values.count, unit: "network", enabled: true)
    var spectra: [[Double]] = []
    for (i, g) in values.enumerated() {
      var noise = SplittableRandom(seed: seed &+ UInt64(i)).derived("drive")
      let (n, s) = (units, drive)
      spectra.append(
        simulatedLyapunovExponents(
          activation: activation, gain: g, units: units, steps: steps, transient: transient,
          exponents: exponents, biasVariance: biasVariance, seed: seed &+ UInt64(i),
          drive: s > 0 ? { _ in (0..<n).map { _ in s * noise.nextNormal() } } : nil))
      progress.update(completed: i + 1)
    }
    progress.finish()
    let simulated = spectra.map { $0[0] }
    let theory = values.map {
      meanFieldLyapunovExponent(
        activation: activation, gain: $0, biasVariance: biasVariance + drive * drive)
    }
    if exponents > 1 {
      print(
        renderTable(
          header: ["g"] + (1...exponents).map { "λ_\($0)" },
          rows: zip(values, spectra).map { g, spectrum in
            [String(format: "%g", g)] + spectrum.map { String(format: "%+.4f", $0) }
          }))
    }
    print(
      renderTable(
        header: ["g", "λ_max mean field", "λ_max simulated (N = \(units))", "difference"],
        rows: values.indices.map { i in
          [
            String(format: "%g", values[i]), String(format: "%+.4f", theory[i]),
            String(format: "%+.4f", simulated[i]),
            String(format: "%+.4f", simulated[i] - theory[i]),
          ]
        }))
    if let out {
      let fine = (0...120).map { (values.max() ?? 3) * 1.05 * Double($0) / 120 }.filter { $0 > 0 }
      let svg = SVGPlot.lineChart(
        title: "λ_max of random \(activation.rawValue) networks", xLabel: "gain g",
        yLabel: "λ_max per step",
        series: [
          PlotSeries(
            name: "mean field", color: SVGPlot.palette[0], x: fine,
            y: fine.map {
              meanFieldLyapunovExponent(
                activation: activation, gain: $0, biasVariance: biasVariance + drive * drive)
            }),
          PlotSeries(
            name: "simulated (N = \(units))", color: SVGPlot.palette[1], x: values, y: simulated,
            dashed: true),
        ], references: [ReferenceLine(y: 0, label: "edge of chaos")])
      try svg.write(toFile: out, atomically: true, encoding: .utf8)
      print(out)
    }
  }
}

/// Parses a comma-separated list of finite numbers that satisfy `allowed`; the error names the
/// flag, the bad item and `requirement`.
func numberList(
  _ text: String, flag: String, _ requirement: String, allowed: (Double) -> Bool
) throws -> [Double] {
  let items = text.split(separator: ",", omittingEmptySubsequences: false)
  guard items.count <= OptionLimits.listItems else {
    throw ValidationError(
      "\(flag): at most \(OptionLimits.listItems) values, got \(items.count)")
  }
  guard !text.isEmpty else { throw ValidationError("\(flag): give at least one value") }
  return try items.map { item in
    guard let value = Double(item.trimmingCharacters(in: .whitespaces)), value.isFinite,
      allowed(value)
    else { throw ValidationError("\(flag) \(item): \(requirement)") }
    return value
  }
}

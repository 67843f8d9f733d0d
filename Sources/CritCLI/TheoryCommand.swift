import ArgumentParser
import Experiments
import Foundation
import Report

/// `crit theory`: mean-field predictions, printed and drawn.
struct TheoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "theory", abstract: "Mean-field theory of deep random networks.",
    subcommands: [
      MeanFieldCommand.self, CriticalLineCommand.self, PhaseDiagramCommand.self,
      LyapunovCommand.self, KernelCommand.self,
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

import ArgumentParser
import Experiments
import Foundation
import Report

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
    let diagram = PhaseDiagram(
      activation: activation, maximumWeightVariance: maximumWeightVariance,
      maximumBiasVariance: maximumBiasVariance, width: width, height: max(4, width / 2),
      jobs: ProcessInfo.processInfo.activeProcessorCount)
    if out.hasSuffix(".png") {
      try Data(TheoryFigures.phaseDiagramPNG(diagram)).write(to: URL(fileURLWithPath: out))
    } else {
      try TheoryFigures.phaseDiagramSVG(diagram).write(
        toFile: out, atomically: true, encoding: .utf8)
    }
    print(out)
  }
}

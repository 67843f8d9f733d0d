import Foundation
import Testing

/// `crit theory` rejects bad input with one line and status 2, and draws what it is asked for.
@Test(arguments: [
  (["theory", "meanfield", "--sigma-w2", "0"], "--sigma-w2"),
  (["theory", "meanfield", "--sigma-b2", "-1"], "--sigma-b2"),
  (["theory", "meanfield", "--activation", "swish"], "--activation"),
  (["theory", "critical-line", "--activations", "tanh,swish"], "swish"),
  (["theory", "critical-line", "--points", "1"], "--points"),
  (["theory", "phase-diagram", "--width", "2"], "--width"),
  (["theory", "lyapunov", "--gains", "1,-2"], "--gains"),
  (["theory", "lyapunov", "--units", "1"], "--units"),
])
func badTheoryInput(arguments: [String], fragment: String) {
  let (status, errors) = runCrit(arguments)
  #expect(status == 2)
  #expect(errors.count == 1)
  #expect(errors.first?.contains(fragment) == true, "\(errors)")
}

/// The critical-line chart and the phase diagram are written as SVG files.
@Test func theoryWritesItsPictures() throws {
  let line = temporaryPath("line.svg")
  #expect(runCrit(["theory", "critical-line", "--points", "3", "--out", line]).status == 0)
  #expect(try String(contentsOfFile: line, encoding: .utf8).hasPrefix("<svg"))
  let phase = temporaryPath("phase.svg")
  #expect(runCrit(["theory", "phase-diagram", "--width", "16", "--out", phase]).status == 0)
  let svg = try String(contentsOfFile: phase, encoding: .utf8)
  #expect(svg.contains("data:image/png;base64,"))
  #expect(svg.contains("<polyline"))
}

import Experiments
import Foundation
import Tensors
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
  (["theory", "lyapunov", "--drive", "-0.1"], "--drive"),
  (["theory", "lyapunov", "--units", "10", "--exponents", "11"], "--exponents"),
  (["bench", "reservoir", "--rhos", "0.5,x"], "--rhos"),
  (["bench", "reservoir", "--threads", "0"], "--threads"),
  (["bench", "reservoir", "--solver", "lu"], "--solver"),
  (["bench", "trainability", "--resolution", "0"], "--resolution"),
  (["bench", "trainability", "--steps", "0"], "--steps"),
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

/// `crit analyze` reads a checkpoint and writes JSON, CSV and HTML; a (out, in, kh, kw)
/// convolution kernel is analysed as its kh·kw slices pooled; bad files are one-line errors.
@Test func analyzeReadsCheckpointsAndConvolutions() throws {
  let path = temporaryPath("model.safetensors")
  var rng = SplittableRandom(seed: 3)
  let dense = Tensor<Float>.randomNormal([64, 32], using: &rng)
  let conv = Tensor<Float>.randomNormal([16, 12, 3, 3], using: &rng)
  let bias = Tensor<Float>.randomNormal([64], using: &rng)
  try SafeTensors.write(["fc.weight": dense, "conv.weight": conv, "fc.bias": bias], to: path)
  let json = temporaryPath("a.json")
  let csv = temporaryPath("a.csv")
  let html = temporaryPath("a.html")
  let (status, errors) = runCrit(["analyze", path, "--json", json, "--csv", csv, "--html", html])
  #expect(status == 0, "\(errors)")
  let layers =
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
    as! [[String: Any]]
  #expect(layers.map { $0["name"] as! String } == ["conv.weight", "fc.weight"])
  #expect(layers[0]["matrices"] as? Int == 9)
  #expect((layers[0]["eigenvalues"] as! [Any]).count == 9 * 12)
  #expect(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").count == 3)
  #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<svg"))
  for (arguments, fragment) in [
    (["analyze", temporaryPath("x.txt", contents: "1")], "unknown file type"),
    (["analyze", "/nonexistent/model.safetensors"], "cannot read"),
    (["analyze", path, "--min-evals", "200"], "no weight matrix"),
  ] {
    let (code, messages) = runCrit(arguments)
    #expect(code == 2, "\(arguments)")
    #expect(messages.count == 1 && messages[0].contains(fragment), "\(messages)")
  }
}

/// `crit run meanfield --quick` writes its report with theory beside measurement at every grid
/// point, and the quick grid's measured χ₁ is within 5 % of theory everywhere (width 400).
@Test func meanFieldProtocolWritesItsReport() throws {
  let parent = URL(fileURLWithPath: temporaryPath("x")).deletingLastPathComponent().path
  let (status, errors) = runCrit(["run", "meanfield", "--quick", "--quiet", "--runs", parent])
  #expect(status == 0, "\(errors)")
  let html = try String(
    contentsOfFile: "\(parent)/meanfield-tanh-quick/report.html", encoding: .utf8)
  #expect(html.contains("χ₁ measured"))
  #expect(html.components(separatedBy: "<svg").count - 1 == 3)
  let errorsCells = html.components(separatedBy: "%</td>").dropLast().compactMap {
    Double($0.components(separatedBy: "<td>").last!.replacingOccurrences(of: "+", with: ""))
  }
  #expect(errorsCells.count == 6)
  #expect(errorsCells.allSatisfy { abs($0) < 5 }, "\(errorsCells)")
}

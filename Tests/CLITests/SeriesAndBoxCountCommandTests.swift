import Data
import Experiments
import Foundation
import Report
import Testing

/// `crit series` on a CSV column from the shipped binary: the table, the JSON and the HTML
/// page. A random walk's DFA exponent is 1.5 and its Higuchi dimension of the path (the walk
/// summed once more, a smooth-ish curve) lies between 1 and 1.5; with 8192 steps the DFA
/// estimate is within 0.1 of 1.5 (its spread at this length is about 0.03).
@Test func seriesCommandReadsACSVColumn() throws {
  var state: UInt64 = 42
  var walk = 0.0
  var text = "step,position\n"
  for i in 0..<8192 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    walk += Double(state >> 11) / Double(1 << 53) - 0.5
    text += "\(i),\(walk)\n"
  }
  let csv = temporaryPath("walk.csv", contents: text)
  let json = csv + ".json"
  let html = csv + ".html"
  let run = try runShippedCrit([
    "series", csv, "--column", "position", "--json", json, "--html", html,
  ])
  #expect(run.status == 0, "\(run.errors)")
  #expect(run.output.contains("DFA-1 α") && run.output.contains("8192 values"))
  let analysis = try JSONDecoder.forRuns.decode(
    SeriesAnalysis.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
  #expect(abs(analysis.detrendedFluctuation!.exponent - 1.5) < 0.1)
  #expect(analysis.column == "position" && analysis.count == 8192)
  let page = try String(contentsOfFile: html, encoding: .utf8)
  #expect(page.contains("DFA fluctuation function") && page.contains("<svg"))
  // Two columns and no --column: exit 2 with one line naming both columns.
  let missing = try runShippedCrit(["series", csv])
  #expect(missing.status == 2)
  #expect(
    missing.errors.contains("step, position") && missing.errors.split(separator: "\n").count == 1)
}

/// `crit boxcount` of a pixel-exact Sierpiński triangle (256², black on white, written as PNG)
/// reads log 3/log 2 = 1.5850 exactly (its box counts are 3^(8−k)); the same set as a .npy
/// array gives the same; a file that is neither is refused with exit status 2.
@Test func boxCountCommandReadsPNGAndNPY() throws {
  let side = 256
  var rgb = [UInt8](repeating: 255, count: side * side * 3)
  var values = [Double](repeating: 0, count: side * side)
  for row in 0..<side {
    for column in 0..<side where row & column == 0 {
      for c in 0..<3 { rgb[(row * side + column) * 3 + c] = 0 }
      values[row * side + column] = 1
    }
  }
  let png = temporaryPath("sierpinski.png")
  try Data(PNG.encode(width: side, height: side, rgb: rgb)).write(to: URL(fileURLWithPath: png))
  let npy = png.replacingOccurrences(of: ".png", with: ".npy")
  try writeNPY(values, shape: [side, side], to: npy)
  for path in [png, npy] {
    let run = try runShippedCrit(["boxcount", path])
    #expect(run.status == 0, "\(run.errors)")
    #expect(run.output.contains("dimension 1.5850"), "\(run.output)")
  }
  let paper = try runShippedCrit(["boxcount", png, "--estimator", "trainability-paper"])
  #expect(paper.status == 0 && paper.output.contains("local slope"), "\(paper.errors)")
  let text = temporaryPath("notes.txt", contents: "hello")
  let bad = try runShippedCrit(["boxcount", text])
  #expect(bad.status == 2 && bad.errors.contains("not a PNG"), "\(bad.errors)")
}

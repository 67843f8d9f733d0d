import Experiments
import Foundation
import Indicators
import Trainability

/// The colours of a trainability image, after the paper's figures: converged pixels in blue,
/// diverged pixels in red, each shaded by how far the measure is from the boundary value 1
/// (pale near the boundary, saturated deep inside a region), so the boundary shows as the
/// pale seam between the colours.
public enum TrainabilityColors {
  /// RGB in [0, 1] of a pixel with measure `m` (mean of the last normalised losses).
  public static func color(_ m: Double) -> (Double, Double, Double) {
    if !(m < 1) {
      // Diverged: from pale red at m = 1 to deep red at m ≥ 10⁶ (non-finite losses).
      let t = m.isFinite ? min(1, 0.25 + 0.75 * log10(max(m, 1)) / 6) : 1
      return mix((0.99, 0.85, 0.80), (0.60, 0.05, 0.10), t)
    }
    // Converged: from pale blue at m = 1 to deep blue at m ≤ 10⁻⁶.
    let t = min(1, 0.25 + 0.75 * -log10(max(m, 1e-12)) / 6)
    return mix((0.82, 0.89, 0.97), (0.03, 0.19, 0.42), t)
  }

  static func mix(_ a: (Double, Double, Double), _ b: (Double, Double, Double), _ t: Double) -> (
    Double, Double, Double
  ) {
    (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1), a.2 + t * (b.2 - a.2))
  }

  /// The frame as PNG bytes, top row = largest v (so the image reads like the plane).
  public static func png(_ frame: TrainabilityFrame) -> [UInt8] {
    let r = frame.resolution
    var rgb = [UInt8](repeating: 0, count: r * r * 3)
    for row in 0..<r {
      for column in 0..<r {
        let (red, green, blue) = color(frame.measures[row * r + column])
        let o = 3 * ((r - 1 - row) * r + column)
        rgb[o] = UInt8((red * 255).rounded())
        rgb[o + 1] = UInt8((green * 255).rounded())
        rgb[o + 2] = UInt8((blue * 255).rounded())
      }
    }
    return PNG.encode(width: r, height: r, rgb: rgb)
  }
}

/// The report of a trainability run: every frame as an image with axes (and the next frame's
/// window marked), a table of per-frame boundary dimensions, and the median over the zoom.
public struct TrainabilityReport: Sendable {
  public var title: String
  public var frames: [TrainabilityFrame]
  /// A sentence on how the frames were made (command, machine, throughput).
  public var provenance: String

  public init(title: String, frames: [TrainabilityFrame], provenance: String) {
    self.title = title
    self.frames = frames
    self.provenance = provenance
  }

  /// Per-frame dimensions of frames whose fit has at least three box sizes with boundary.
  public var dimensions: [BoxCountingDimension] {
    frames.map(\.dimension).filter { d in
      d.dimension.isFinite && zip(d.sizes, d.counts).filter { $0.1 > 0 }.count >= 3
    }
  }

  /// The median box-counting dimension over the frames (nil without a usable frame).
  public var medianDimension: Double? {
    let values = dimensions.map(\.dimension).sorted()
    guard !values.isEmpty else { return nil }
    let m = values.count / 2
    return values.count % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2
  }

  public func html() -> String {
    guard let first = frames.first else { return htmlPageHead(title: title) + "</body></html>" }
    let (xLabel, yLabel) = first.setup.axes
    var page = htmlPageHead(title: title, maxWidth: 1250)
    page += "<h1>\(escape(title))</h1>\n"
    page +=
      "<p class=\"note\">Each pixel is one training run of the 16-wide, one-hidden-layer \(first.setup.activation.rawValue) network (variant \(first.setup.variant.rawValue), \(first.setup.steps) steps). Blue: converged (mean of the last \(first.setup.window) normalised losses below 1), red: diverged; shading grows with the distance of that measure from 1. Dashed squares mark the window of the next frame. \(escape(provenance))</p>\n"
    if let median = medianDimension {
      page +=
        "<p><b>Median boundary dimension over \(dimensions.count) frame\(dimensions.count == 1 ? "" : "s"): \(String(format: "%.3f", median))</b> (box counting of the boundary pixels, least squares over box sizes 2 … r/4; the paper reports 1.17–1.98 across its variants).</p>\n"
    }
    page += "<div class=\"plots\">\n"
    for (k, frame) in frames.enumerated() {
      var overlays: [PlotSeries] = []
      if k + 1 < frames.count {
        let next = frames[k + 1].view
        overlays.append(
          PlotSeries(
            name: "next", color: "#111",
            x: [next.uLower, next.uUpper, next.uUpper, next.uLower, next.uLower],
            y: [next.vLower, next.vLower, next.vUpper, next.vUpper, next.vLower], dashed: true))
      }
      let d = frame.dimension
      page += SVGPlot.heatMap(
        title: "frame \(k): width \(Self.decades(frame.view.width))",
        xLabel: xLabel, yLabel: yLabel, png: TrainabilityColors.png(frame),
        xRange: (frame.view.uLower, frame.view.uUpper),
        yRange: (frame.view.vLower, frame.view.vUpper), overlays: overlays,
        caption:
          "D = \(String(format: "%.3f ± %.3f", d.dimension, d.standardError)), converged \(String(format: "%.1f", 100 * frame.convergedFraction)) %",
        width: 400, height: 400)
      page += "\n"
    }
    page += "</div>\n<h2>Frames</h2>\n" + table()
    return page + "</body></html>\n"
  }

  /// One row per frame: window, class balance, boundary pixels, D ± SE, time.
  public func table() -> String {
    var html =
      "<table><tr><th>frame</th><th>centre (u, v)</th><th>width (decades)</th><th>pixels</th><th>converged</th><th>boundary pixels</th><th>D ± SE</th><th>box sizes</th><th>seconds</th><th>pixel-steps/s</th></tr>\n"
    for (k, frame) in frames.enumerated() {
      let d = frame.dimension
      let (u, v) = frame.view.centre
      let pixels = frame.resolution * frame.resolution
      let rate = frame.seconds > 0 ? Double(pixels * frame.setup.steps) / frame.seconds : .nan
      html +=
        "<tr><td>\(k)</td><td>\(String(format: "%.6f, %.6f", u, v))</td><td>\(String(format: "%.3g", frame.view.width))</td><td>\(frame.resolution)²</td><td>\(String(format: "%.1f %%", 100 * frame.convergedFraction))</td><td>\(frame.boundary.filter { $0 }.count)</td><td>\(String(format: "%.3f ± %.3f", d.dimension, d.standardError))</td><td>\(d.sizes.map(String.init).joined(separator: ", "))</td><td>\(String(format: "%.1f", frame.seconds))</td><td>\(String(format: "%.0f", rate))</td></tr>\n"
    }
    return html + "</table>\n"
  }

  static func decades(_ w: Double) -> String {
    w >= 0.01 ? String(format: "%.3g decades", w) : String(format: "%.1e decades", w)
  }
}

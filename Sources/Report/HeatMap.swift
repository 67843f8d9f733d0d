/// A diverging heat map as PNG bytes: `values[row][column]` (row 0 at the top) mapped through
/// blue (negative) – white (0) – red (positive), saturating at ±`limit`; non-finite values are
/// grey, and `marks` (column, row) pixels are drawn black (e.g. a critical line).
public func divergingHeatMapPNG(
  values: [[Double]], limit: Double, marks: [(column: Int, row: Int)] = []
) -> [UInt8] {
  let height = values.count
  let width = values.first?.count ?? 0
  var rgb = [UInt8](repeating: 0, count: width * height * 3)
  for row in 0..<height {
    for column in 0..<width {
      let v = values[row][column]
      var pixel: (Double, Double, Double)
      if !v.isFinite {
        pixel = (0.6, 0.6, 0.6)
      } else {
        let t = min(1, abs(v) / limit)
        // White toward saturated red (#b2182b) or blue (#2166ac).
        let target = v > 0 ? (0.698, 0.094, 0.169) : (0.129, 0.4, 0.675)
        pixel = (1 + t * (target.0 - 1), 1 + t * (target.1 - 1), 1 + t * (target.2 - 1))
      }
      let offset = 3 * (row * width + column)
      rgb[offset] = UInt8(max(0, min(255, (pixel.0 * 255).rounded())))
      rgb[offset + 1] = UInt8(max(0, min(255, (pixel.1 * 255).rounded())))
      rgb[offset + 2] = UInt8(max(0, min(255, (pixel.2 * 255).rounded())))
    }
  }
  for mark in marks
  where mark.column >= 0 && mark.column < width && mark.row >= 0
    && mark.row < height
  {
    let offset = 3 * (mark.row * width + mark.column)
    rgb[offset] = 0
    rgb[offset + 1] = 0
    rgb[offset + 2] = 0
  }
  return PNG.encode(width: width, height: height, rgb: rgb)
}

extension SVGPlot {
  /// A heat map (PNG bytes, row 0 at the top) drawn over `[xRange] × [yRange]` with axes, ticks
  /// and optional line series on top, as standalone SVG (the image embedded as a data URL).
  public static func heatMap(
    title: String, xLabel: String, yLabel: String, png: [UInt8],
    xRange: (Double, Double), yRange: (Double, Double), overlays: [PlotSeries] = [],
    caption: String = "", width: Double = 560, height: Double = 340
  ) -> String {
    let left = 62.0
    let right = 14.0
    let top = 30.0
    let bottom = caption.isEmpty ? 44.0 : 60.0
    let plotW = width - left - right
    let plotH = height - top - bottom
    let (x0, x1) = xRange
    let (y0, y1) = yRange
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
    func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
    var svg = opening(title: title, width: width, height: height)
    svg +=
      "<image x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(base64(png))\"/>"
    for t in niceTicks(y0, y1) where t >= y0 && t <= y1 {
      svg +=
        "<line x1=\"\(f(left - 4))\" x2=\"\(f(left))\" y1=\"\(f(py(t)))\" y2=\"\(f(py(t)))\" stroke=\"#444\"/>"
      svg +=
        "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>"
    }
    for t in niceTicks(x0, x1) where t >= x0 && t <= x1 {
      svg +=
        "<line x1=\"\(f(px(t)))\" x2=\"\(f(px(t)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#444\"/>"
      svg +=
        "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(label(t))</text>"
    }
    for s in overlays {
      let points = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite && $0.0 <= x1 }.map {
        "\(f(px($0.0))),\(f(py($0.1)))"
      }
      if !points.isEmpty {
        svg +=
          "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
      }
    }
    svg +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#444\"/>"
    svg +=
      "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH + 32))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
    svg +=
      "<text transform=\"translate(14 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>"
    if !caption.isEmpty {
      svg +=
        "<text x=\"\(f(left))\" y=\"\(f(height - 6))\" fill=\"#555\">\(escape(caption))</text>"
    }
    return svg + "</svg>"
  }
}

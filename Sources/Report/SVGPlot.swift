import Foundation

/// One line of a chart: values over x with an optional confidence band.
public struct PlotSeries: Sendable {
  public var name: String
  public var color: String
  public var x: [Double]
  public var y: [Double]
  /// Lower and upper edges of a band around `y` (same length), e.g. a 95 % confidence interval.
  public var band: (lower: [Double], upper: [Double])?
  public var dashed: Bool

  public init(
    name: String, color: String, x: [Double], y: [Double],
    band: (lower: [Double], upper: [Double])? = nil, dashed: Bool = false
  ) {
    self.name = name
    self.color = color
    self.x = x
    self.y = y
    self.band = band
    self.dashed = dashed
  }
}

/// A horizontal reference line (a target such as σ = 1).
public struct ReferenceLine: Sendable {
  public var y: Double
  public var label: String
  public init(y: Double, label: String) {
    self.y = y
    self.label = label
  }
}

/// Line charts as standalone SVG: axes with round-number ticks, one polyline per series,
/// translucent confidence bands, a legend. No scripts, no external resources.
public enum SVGPlot {
  public static let palette = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
  ]

  public static func lineChart(
    title: String, xLabel: String, yLabel: String, series: [PlotSeries],
    references: [ReferenceLine] = [], width: Double = 460, height: Double = 300
  ) -> String {
    let left = 62.0
    let right = 14.0
    let top = 30.0
    let bottom = 44.0
    let plotW = width - left - right
    let plotH = height - top - bottom
    var xs: [Double] = []
    var ys: [Double] = references.map(\.y)
    for s in series {
      xs += s.x
      ys += s.y
      if let band = s.band { ys += band.lower + band.upper }
    }
    xs = xs.filter { $0.isFinite }
    ys = ys.filter { $0.isFinite }
    var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
    var (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
    if x1 <= x0 { x1 = x0 + 1 }
    if y1 <= y0 {
      y0 -= 0.5
      y1 += 0.5
    }
    let pad = (y1 - y0) * 0.05
    y0 -= pad
    y1 += pad
    let yTicks = niceTicks(y0, y1)
    let xTicks = niceTicks(x0, x1)
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
    func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
    var svg = opening(title: title, width: width, height: height)
    for t in yTicks where t >= y0 && t <= y1 {
      svg +=
        "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(t)))\" y2=\"\(f(py(t)))\" stroke=\"#e5e5e5\"/>"
      svg +=
        "<text x=\"\(f(left - 5))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>"
    }
    for t in xTicks where t >= x0 && t <= x1 {
      svg +=
        "<line x1=\"\(f(px(t)))\" x2=\"\(f(px(t)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#444\"/>"
      svg +=
        "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(label(t))</text>"
    }
    svg +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#444\"/>"
    svg +=
      "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
    svg +=
      "<text transform=\"translate(14 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>"
    for r in references {
      svg +=
        "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(r.y)))\" y2=\"\(f(py(r.y)))\" stroke=\"#777\" stroke-dasharray=\"2 3\"/>"
      svg +=
        "<text x=\"\(f(left + plotW - 4))\" y=\"\(f(py(r.y) - 4))\" text-anchor=\"end\" fill=\"#555\">\(escape(r.label))</text>"
    }
    for s in series {
      if let band = s.band {
        let upper = zip(s.x, band.upper).filter { $0.1.isFinite }.map {
          "\(f(px($0.0))),\(f(py($0.1)))"
        }
        let lower = zip(s.x, band.lower).filter { $0.1.isFinite }.reversed().map {
          "\(f(px($0.0))),\(f(py($0.1)))"
        }
        if !upper.isEmpty {
          svg +=
            "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(s.color)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
        }
      }
      let points = zip(s.x, s.y).filter { $0.1.isFinite }.map { "\(f(px($0.0))),\(f(py($0.1)))" }
      if !points.isEmpty {
        svg +=
          "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.6\"\(s.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
      }
    }
    for (i, s) in series.enumerated() {
      let y = top + 12 + Double(i) * 14
      svg +=
        "<line x1=\"\(f(left + 8))\" x2=\"\(f(left + 24))\" y1=\"\(f(y - 4))\" y2=\"\(f(y - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"4 2\"" : "")/>"
      svg += "<text x=\"\(f(left + 28))\" y=\"\(f(y))\">\(escape(s.name))</text>"
    }
    return svg + "</svg>"
  }

  /// About five round-numbered ticks (1, 2 or 5 × 10^k apart) covering `[low, high]`.
  public static func niceTicks(_ low: Double, _ high: Double) -> [Double] {
    let span = high - low
    guard span > 0, span.isFinite else { return [low] }
    let raw = span / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [Double] = []
    var t = ceil(low / step) * step
    while t <= high + step * 1e-9 {
      ticks.append(abs(t) < step * 1e-9 ? 0 : t)
      t += step
    }
    return ticks
  }

  /// The `<svg>` element's opening, a white background and the title.
  static func opening(title: String, width: Double, height: Double) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">"
      + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
      + "<text x=\"\(f(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
  }

  static func f(_ x: Double) -> String { String(format: "%.1f", x) }

  static func label(_ t: Double) -> String {
    if t == 0 { return "0" }
    if abs(t) >= 1e4 || abs(t) < 1e-3 { return String(format: "%.1e", t) }
    return String(format: "%g", (t * 1e6).rounded() / 1e6)
  }
}

/// Escapes text for HTML and SVG.
public func escape(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

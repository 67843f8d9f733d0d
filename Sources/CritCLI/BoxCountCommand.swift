import ArgumentParser
import Experiments
import Foundation

/// `crit boxcount IMAGE`: the box-counting dimension of a binary image.
struct BoxCountCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "boxcount",
    abstract: "Box-counting dimension of a binary image (PNG or .npy).",
    discussion: """
      The set is a PNG's pixels darker than --threshold (lighter with --light), or a 2-D .npy \
      array's nonzero values. --estimator least-squares (default, as the indicators): boxes of \
      2, 4, … up to a quarter of the shorter side that hold a pixel of the set (--boundary: of \
      the set's boundary), the least-squares slope of log N on log(1/s) and its standard error. \
      --estimator trainability-paper (Sohl-Dickstein 2024): the edge image of 2 × 2 cells \
      holding both classes, porespy's boxcount (tiles from 10 px to the shorter side that hold \
      both phases) and the median of its local slopes.
      """)

  @Argument(help: "A PNG image or a 2-D .npy array.")
  var image: String

  @Option(help: "least-squares or trainability-paper.")
  var estimator: BoxCountEstimator = .leastSquares

  @Flag(help: "Count the boundary of the set (pixels with a neighbour outside it).")
  var boundary = false

  @Option(help: "PNG: the set is the pixels darker than this grey level in [0, 1].")
  var threshold = 0.5

  @Flag(help: "PNG: the set is the pixels lighter than the threshold.")
  var light = false

  @Option(help: "Box sizes in pixels, comma-separated (least-squares; default powers of two).")
  var sizes: String?

  @Option(help: "Write the results as JSON here.")
  var json: String?

  func run() throws {
    if let json { try OutputPath.checkFile(json, option: "--json") }
    try checkNumber(threshold, "--threshold", 0...1)
    if boundary && estimator == .trainabilityPaper {
      throw ValidationError(
        "--boundary: the trainability-paper estimator always takes its own edge image; "
          + "use it with --estimator least-squares")
    }
    var options = BoxCountOptions()
    options.estimator = estimator
    options.boundary = boundary
    options.threshold = threshold
    options.light = light
    if let sizes {
      options.sizes = try parseWidths(sizes, option: "--sizes")
      guard options.sizes!.count >= 2 else {
        throw ValidationError("--sizes: give at least two box sizes, got '\(sizes)'")
      }
    }
    let result = try boxCountImage(path: image, options: options)
    var rows = zip(result.sizes, result.counts).enumerated().map { i, pair in
      ["\(pair.0)", "\(pair.1)"] + (result.slopes.map { [String(format: "%.4f", $0[i])] } ?? [])
    }
    if rows.isEmpty { rows = [["–", "–"]] }
    print(
      "\(image): \(result.width) × \(result.height) pixels, \(result.setPixels) in the set, "
        + "\(result.countedPixels) counted")
    print(
      renderTable(
        header: ["box size", "boxes"] + (result.slopes == nil ? [] : ["local slope"]), rows: rows)
    )
    let error = result.standardError.map { String(format: " ± %.4f", $0) } ?? " (median)"
    print(String(format: "dimension %.4f", result.dimension) + error + " (\(estimator.rawValue))")
    if let json { try JSONEncoder.forRuns.encode(result).write(to: URL(fileURLWithPath: json)) }
  }
}

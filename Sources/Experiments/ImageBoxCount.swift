import Data
import Foundation
import Indicators

/// How ``boxCountImage(path:options:)`` estimates a dimension.
public enum BoxCountEstimator: String, Codable, Sendable, CaseIterable {
  /// The indicators' estimator (``boxCountingDimension(mask:width:height:sizes:)``): boxes of
  /// 2, 4, … up to a quarter of the shorter side containing a set pixel, the least-squares
  /// slope of log N on log(1/s) with its standard error.
  case leastSquares = "least-squares"
  /// The trainability paper's (``TiledBoxCount``, ``cellEdges(_:width:height:)``): the edge
  /// image of 2 × 2 cells holding both classes, porespy's tiled counts from 10 pixels to the
  /// shorter side, the median of the local slopes.
  case trainabilityPaper = "trainability-paper"
}

/// Settings of ``boxCountImage(path:options:)``.
public struct BoxCountOptions: Codable, Sendable, Equatable {
  public var estimator = BoxCountEstimator.leastSquares
  /// Count the boundary of the set (pixels with a 4-neighbour outside it) instead of the set
  /// (least-squares estimator only; the paper's always takes its edge image).
  public var boundary = false
  /// PNG images: the set is the pixels darker than this grey level (0 black … 1 white), or
  /// lighter with `light`.
  public var threshold = 0.5
  public var light = false
  /// Box sizes for the least-squares estimator (default: powers of two).
  public var sizes: [Int]? = nil
  public init() {}
}

/// A box-counting estimate of an image file's dimension, with the counts it came from.
public struct ImageBoxCount: Codable, Sendable, Equatable {
  public var source: String
  public var width: Int
  public var height: Int
  /// Pixels in the set (before taking a boundary or edge image).
  public var setPixels: Int
  /// Pixels counted (the set, its boundary, or the edge image).
  public var countedPixels: Int
  public var dimension: Double
  /// The least-squares slope's standard error (least-squares estimator), else `nil`.
  public var standardError: Double?
  public var sizes: [Int]
  public var counts: [Int]
  /// Local slopes (the paper's estimator), else `nil`.
  public var slopes: [Double]?
  public var options: BoxCountOptions
}

/// Reads a binary image — a PNG (the set: pixels darker than the threshold) or a 2-D `.npy`
/// array (the set: nonzero values) — and estimates its box-counting dimension.
public func boxCountImage(path: String, options: BoxCountOptions = .init()) throws
  -> ImageBoxCount
{
  var width = 0
  var height = 0
  var mask: [Bool] = []
  if path.lowercased().hasSuffix(".npy") {
    let array = try NPYArray.read(path: path)
    guard array.shape.count == 2, array.shape[0] > 0, array.shape[1] > 0 else {
      throw DataError("\(path): a binary image must be a 2-D array, got shape \(array.shape)")
    }
    (height, width) = (array.shape[0], array.shape[1])
    if let bad = array.values.first(where: { !$0.isFinite }) {
      throw DataError("\(path): holds \(bad); values must be finite (nonzero marks the set)")
    }
    mask = array.values.map { $0 != 0 }
  } else {
    let image = try PNGImage.read(path: path)
    (width, height) = (image.width, image.height)
    mask = image.grey.map { options.light ? $0 > options.threshold : $0 < options.threshold }
  }
  guard min(width, height) >= 8 else {
    throw DataError(
      "\(path): \(width) × \(height) pixels; box counting needs at least 8 pixels a side")
  }
  let setPixels = mask.filter { $0 }.count
  switch options.estimator {
  case .leastSquares:
    let counted = options.boundary ? classBoundary(mask, width: width, height: height) : mask
    if let bad = options.sizes?.first(where: { $0 < 1 || $0 > min(width, height) }) {
      throw DataError(
        "--sizes: box size \(bad) does not fit the image (allowed: 1…\(min(width, height)))")
    }
    let fit = boxCountingDimension(
      mask: counted, width: width, height: height, sizes: options.sizes)
    return ImageBoxCount(
      source: path, width: width, height: height, setPixels: setPixels,
      countedPixels: counted.filter { $0 }.count, dimension: fit.dimension,
      standardError: fit.standardError, sizes: fit.sizes, counts: fit.counts, slopes: nil,
      options: options)
  case .trainabilityPaper:
    let edges = cellEdges(mask, width: width, height: height)
    let count = TiledBoxCount(mask: edges, width: width - 1, height: height - 1)
    return ImageBoxCount(
      source: path, width: width, height: height, setPixels: setPixels,
      countedPixels: edges.filter { $0 }.count, dimension: count.medianSlope,
      standardError: nil, sizes: count.sizes, counts: count.counts, slopes: count.slopes,
      options: options)
  }
}

import RealModule

/// Box counts with local slopes, as porespy's `metrics.boxcount` computes them (porespy 3.x)
/// and as the trainability-boundary paper estimates its dimensions (Sohl-Dickstein 2024,
/// "The boundary of neural network trainability is fractal", arXiv:2402.06184: the edge image,
/// then the median of the local slopes).
///
/// Sizes: `⌊10^t⌋` for `bins` values of t evenly spaced from 1 to log₁₀ of the shorter side
/// (duplicates removed), so boxes run from 10 pixels to the whole shorter side. For each size
/// d the image is tiled from the top-left corner (edge tiles cut short) and a tile counts when
/// it holds both phases (some but not all pixels `true`). The local slope at each size is
/// `−d log N / d log d` by NumPy's `gradient`: second-order differences on the uneven sizes
/// inside, one-sided at the two ends.
public struct TiledBoxCount: Codable, Sendable, Equatable {
  public var sizes: [Int]
  public var counts: [Int]
  /// Local slopes, one per size (NaN where a count is 0).
  public var slopes: [Double]

  /// The median of the finite local slopes (NaN when none is).
  public var medianSlope: Double {
    let finite = slopes.filter(\.isFinite).sorted()
    guard !finite.isEmpty else { return .nan }
    let m = finite.count
    return m % 2 == 1 ? finite[m / 2] : (finite[m / 2 - 1] + finite[m / 2]) / 2
  }

  /// Counts the `width × height` mask (row-major) at `bins` sizes, or at `sizes` when given.
  public init(mask: [Bool], width: Int, height: Int, bins: Int = 10, sizes given: [Int]? = nil) {
    precondition(
      mask.count == width * height, "mask of \(mask.count) pixels is not \(width)×\(height)")
    var sizes = given ?? []
    if given == nil {
      let stop = Double.log10(Double(min(width, height)))
      let step = bins > 1 ? (stop - 1) / Double(bins - 1) : 0
      for k in 0..<bins {
        let exponent = k == bins - 1 ? stop : 1 + Double(k) * step
        sizes.append(Int(Double.pow(10, exponent)))
      }
      sizes = Array(Set(sizes)).sorted()
    }
    // Prefix sums of the mask: a tile's count of `true` pixels in four lookups.
    var prefix = [Int](repeating: 0, count: (width + 1) * (height + 1))
    for row in 0..<height {
      var running = 0
      for column in 0..<width {
        running += mask[row * width + column] ? 1 : 0
        prefix[(row + 1) * (width + 1) + column + 1] =
          prefix[row * (width + 1) + column + 1] + running
      }
    }
    counts = sizes.map { d in
      guard d >= 1 else { return 0 }
      var count = 0
      for top in stride(from: 0, to: height, by: d) {
        let bottom = min(top + d, height)
        for left in stride(from: 0, to: width, by: d) {
          let right = min(left + d, width)
          let inside =
            prefix[bottom * (width + 1) + right] - prefix[top * (width + 1) + right]
            - prefix[bottom * (width + 1) + left] + prefix[top * (width + 1) + left]
          if inside > 0 && inside < (bottom - top) * (right - left) { count += 1 }
        }
      }
      return count
    }
    self.sizes = sizes
    slopes = Self.localSlopes(
      sizes.map { Double.log(Double($0)) },
      counts.map { $0 > 0 ? Double.log(Double($0)) : .nan })
  }

  /// `−∂f/∂x` at every point by NumPy's `gradient(f, x)` (edge order 1): the local slopes of
  /// log counts `f` on log sizes `x`.
  public static func localSlopes(_ x: [Double], _ f: [Double]) -> [Double] {
    let n = x.count
    guard n >= 2 else { return [Double](repeating: .nan, count: n) }
    var g = [Double](repeating: 0, count: n)
    g[0] = (f[1] - f[0]) / (x[1] - x[0])
    g[n - 1] = (f[n - 1] - f[n - 2]) / (x[n - 1] - x[n - 2])
    if n > 2 {
      for i in 1..<(n - 1) {
        let hs = x[i] - x[i - 1]
        let hd = x[i + 1] - x[i]
        g[i] =
          (hs * hs * f[i + 1] - hd * hd * f[i - 1] + (hd * hd - hs * hs) * f[i])
          / (hs * hd * (hd + hs))
      }
    }
    return g.map { -$0 }
  }
}

/// The edge image of the trainability paper: for a `width × height` field of classes, the
/// `(width − 1) × (height − 1)` image whose pixel (i, j) is `true` when the 2 × 2 cell of
/// pixels (i…i+1, j…j+1) holds both classes.
public func cellEdges(_ classes: [Bool], width: Int, height: Int) -> [Bool] {
  precondition(classes.count == width * height, "\(classes.count) pixels for \(width)×\(height)")
  guard width >= 2, height >= 2 else { return [] }
  var edges = [Bool](repeating: false, count: (width - 1) * (height - 1))
  for row in 0..<(height - 1) {
    for column in 0..<(width - 1) {
      let k = row * width + column
      let corners = [classes[k], classes[k + 1], classes[k + width], classes[k + width + 1]]
      edges[row * (width - 1) + column] = corners.contains(true) && corners.contains(false)
    }
  }
  return edges
}

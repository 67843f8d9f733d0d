import RealModule
import Spectral

/// A box-counting (Minkowski–Bouligand) dimension estimate of a set of pixels.
///
/// For box sizes `s = 2^k` the number `N(s)` of `s×s` boxes of an aligned grid that contain a
/// pixel of the set is counted; the dimension is the least-squares slope of `log N(s)` on
/// `log(1/s)` over the chosen sizes, reported with the slope's standard error.
public struct BoxCountingDimension: Codable, Sendable, Equatable {
  public var dimension: Double
  public var standardError: Double
  /// Box sizes used in the fit, in pixels.
  public var sizes: [Int]
  /// `N(s)` for each size.
  public var counts: [Int]
}

/// Box-counting dimension of the `true` pixels of a `side × side` mask (row-major).
///
/// The default sizes are the self-similar range `2, 4, …, side/4`: the pixel scale (s = 1,
/// where a digitised curve saturates) and the two largest scales (where every box is hit)
/// are left out. With `side` a power of two, the pixel-exact Sierpiński triangle
/// `(i & j) == 0` has `N(2^k) = 3^{n−k}` exactly, so its estimate is `log 3/log 2`.
public func boxCountingDimension(mask: [Bool], side: Int, sizes: [Int]? = nil)
  -> BoxCountingDimension
{
  boxCountingDimension(mask: mask, width: side, height: side, sizes: sizes)
}

/// Box-counting dimension of the `true` pixels of a `width × height` mask (row-major), boxes
/// aligned at the top-left corner (the last row and column of boxes may be cut by the edge);
/// the default sizes are `2, 4, …` up to a quarter of the shorter side.
public func boxCountingDimension(mask: [Bool], width: Int, height: Int, sizes: [Int]? = nil)
  -> BoxCountingDimension
{
  precondition(
    mask.count == width * height, "mask of \(mask.count) pixels is not \(width)×\(height)")
  let chosen = sizes ?? defaultBoxSizes(side: min(width, height))
  // The set's pixels, listed once: a boundary is a small part of the image, so each size then
  // visits only them.
  let pixels = mask.withUnsafeBufferPointer { mask in mask.indices.filter { mask[$0] } }
  let counts = chosen.map { s -> Int in
    let across = (width + s - 1) / s
    let down = (height + s - 1) / s
    var hit = [Bool](repeating: false, count: across * down)
    var count = 0
    for pixel in pixels {
      let box = pixel / width / s * across + pixel % width / s
      if !hit[box] {
        hit[box] = true
        count += 1
      }
    }
    return count
  }
  let usable = zip(chosen, counts).filter { $0.1 > 0 }
  let line = leastSquaresLine(
    x: usable.map { -Double.log(Double($0.0)) }, y: usable.map { Double.log(Double($0.1)) })
  return BoxCountingDimension(
    dimension: usable.count >= 2 ? line.slope : .nan, standardError: line.slopeStandardError,
    sizes: chosen, counts: counts)
}

/// The pixels of a `width × height` field of two classes (row-major) that have a 4-neighbour
/// of the other class: the boundary between the classes, one pixel wide on each side.
public func classBoundary(_ classes: [Bool], width: Int, height: Int) -> [Bool] {
  precondition(classes.count == width * height, "\(classes.count) pixels for \(width)×\(height)")
  return (0..<(width * height)).map { k in
    let (row, column) = k.quotientAndRemainder(dividingBy: width)
    let c = classes[k]
    return (row > 0 && classes[k - width] != c) || (row + 1 < height && classes[k + width] != c)
      || (column > 0 && classes[k - 1] != c) || (column + 1 < width && classes[k + 1] != c)
  }
}

/// Powers of two from 2 to `side/4`.
public func defaultBoxSizes(side: Int) -> [Int] {
  var sizes: [Int] = []
  var s = 2
  while s <= side / 4 {
    sizes.append(s)
    s *= 2
  }
  return sizes
}

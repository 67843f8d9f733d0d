import Foundation

/// About `count` distinct integers spread evenly in log scale over `[low, high]`.
func logSpacedScales(from low: Int, to high: Int, count: Int) -> [Int] {
  guard high > low, count >= 2 else { return [max(low, 1)] }
  let a = log(Double(low))
  let b = log(Double(high))
  let scales = (0..<count).map { Int(exp(a + (b - a) * Double($0) / Double(count - 1)).rounded()) }
  return Array(Set(scales)).sorted()
}

/// A scaling exponent: the slope of a log–log least-squares line, its standard error, and the
/// scales used.
public struct ScalingExponent: Codable, Sendable, Equatable {
  public var exponent: Double
  public var standardError: Double
  public var scales: [Int]
}

import Foundation

/// A reference memory-capacity curve that cannot be read.
public struct ReferenceCurveError: Error, CustomStringConvertible {
  public var description: String
}

extension ReservoirReport {
  /// A peer's memory-capacity curve (bench/reservoir_reference.py): JSON with `rho` and
  /// `mc_mean` of equal length, and optionally `library` and `version` for its name.
  public static func readReference(path: String) throws -> (
    name: String, radii: [Double], memoryCapacity: [Double]
  ) {
    struct Reference: Decodable {
      var library: String?
      var version: String?
      var rho: [Double]
      var mc_mean: [Double]
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ReferenceCurveError(description: "cannot read \(path)")
    }
    guard let r = try? JSONDecoder().decode(Reference.self, from: data),
      r.rho.count == r.mc_mean.count
    else {
      throw ReferenceCurveError(
        description:
          "\(path) is not a reference curve (need JSON with arrays rho and mc_mean of equal length)"
      )
    }
    return ([r.library, r.version].compactMap { $0 }.joined(separator: " "), r.rho, r.mc_mean)
  }
}

import Foundation

/// A trainability setting that does not parse: the key it belongs to (`view`, `centre`,
/// `width`, `spectral`) and what is wrong; a command names its own option for the key.
public struct TrainabilitySettingError: Error, CustomStringConvertible, Equatable {
  public var key: String
  public var message: String
  public var description: String { "\(key): \(message)" }
}

extension TrainabilityView {
  /// The first view of a series: explicit ranges `U0:U1,V0:V1`, or a square of `width`
  /// decades (default 9) around `centre` `U,V` (default 1.5,1.5: η₀ = η₁ ≈ 31.6).
  public static func first(ranges: String?, centre: String?, width: Double?) throws
    -> TrainabilityView
  {
    if let ranges {
      guard centre == nil, width == nil else {
        throw TrainabilitySettingError(
          key: "view", message: "give either a view or a centre and width, not both")
      }
      let parts = ranges.split(separator: ",").map {
        $0.split(separator: ":").map { Double($0) }
      }
      guard parts.count == 2,
        parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0?.isFinite == true } })
      else {
        throw TrainabilitySettingError(
          key: "view", message: "expected 'U0:U1,V0:V1' with finite numbers, got '\(ranges)'")
      }
      let (u0, u1, v0, v1) = (parts[0][0]!, parts[0][1]!, parts[1][0]!, parts[1][1]!)
      guard u0 < u1, v0 < v1 else {
        throw TrainabilitySettingError(
          key: "view",
          message: "each range must be increasing (U0 < U1, V0 < V1), got '\(ranges)'")
      }
      return TrainabilityView(u: (u0, u1), v: (v0, v1))
    }
    var c = (1.5, 1.5)
    if let centre {
      let values = centre.split(separator: ",").map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard values.count == 2, let u = values[0], let v = values[1], u.isFinite, v.isFinite else {
        throw TrainabilitySettingError(
          key: "centre", message: "expected 'U,V' with finite numbers, got '\(centre)'")
      }
      c = (u, v)
    }
    let w = width ?? 9
    guard w > 0, w.isFinite else {
      throw TrainabilitySettingError(key: "width", message: "must be positive, got \(w)")
    }
    return TrainabilityView(centre: c, width: w)
  }
}

extension TrainabilitySpectralControl {
  /// Parses `none`, `penalty:STRENGTH:TARGET` or `norm:TARGET` (positive, finite numbers).
  public init(parsing text: String) throws {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    let numbers = parts.dropFirst().map { Double($0) }
    switch parts.first {
    case "none" where parts.count == 1:
      self = .none
      return
    case "penalty" where numbers.count == 2:
      if let s = numbers[0], let t = numbers[1], s > 0, t > 0, s.isFinite, t.isFinite {
        self = .penalty(strength: s, target: t)
        return
      }
    case "norm" where numbers.count == 1:
      if let t = numbers[0], t > 0, t.isFinite {
        self = .normalization(target: t)
        return
      }
    default: break
    }
    throw TrainabilitySettingError(
      key: "spectral",
      message:
        "expected none, penalty:STRENGTH:TARGET or norm:TARGET (positive numbers), got '\(text)'")
  }

  /// The condition's name in file and directory names: `none`, `penalty-S-T`, `norm-T`.
  public var label: String {
    switch self {
    case .none: "none"
    case .penalty(let strength, let target): "penalty-\(strength)-\(target)"
    case .normalization(let target): "norm-\(target)"
    }
  }
}

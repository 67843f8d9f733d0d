import Foundation
import Tensors

/// Writes tensors in the safetensors format (the checkpoint format PyTorch users exchange):
/// an 8-byte little-endian header length `N`, a JSON header of `N` bytes mapping each name to
/// `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}` (plus `__metadata__`),
/// padded with spaces to a multiple of 8, then the little-endian data in that order.
/// Names are written in sorted order, so the same tensors give the same bytes.
public enum SafeTensors {
  public static func encode(_ tensors: [String: Tensor<Float>], metadata: [String: String] = [:])
    -> [UInt8]
  {
    let names = tensors.keys.sorted()
    var entries: [String] = []
    var offset = 0
    for name in names {
      let t = tensors[name]!
      let bytes = t.count * 4
      entries.append(
        "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}"
      )
      offset += bytes
    }
    if !metadata.isEmpty {
      let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      entries.insert("\"__metadata__\":{\(pairs.joined(separator: ","))}", at: 0)
    }
    var header = Array("{\(entries.joined(separator: ","))}".utf8)
    while header.count % 8 != 0 { header.append(0x20) }
    var out = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
    out += header
    for name in names {
      tensors[name]!.withUnsafeBufferPointer { buffer in
        for value in buffer {
          out += withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        }
      }
    }
    return out
  }

  /// Writes `tensors` to `path`.
  public static func write(
    _ tensors: [String: Tensor<Float>], to path: String, metadata: [String: String] = [:]
  ) throws {
    try Data(encode(tensors, metadata: metadata)).write(to: URL(fileURLWithPath: path))
  }

  static func jsonString(_ s: String) -> String {
    let data = try! JSONEncoder().encode(s)
    return String(decoding: data, as: UTF8.self)
  }
}

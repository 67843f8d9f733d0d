import Foundation

/// A tensor read from a safetensors file, its values widened to `Double`.
public struct StoredTensor: Sendable {
  public var name: String
  public var dtype: String
  public var shape: [Int]
  public var values: [Double]

  public init(name: String, dtype: String, shape: [Int], values: [Double]) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.values = values
  }
}

/// A safetensors file could not be read; the message names the file and what was wrong.
public struct SafeTensorsError: Error, CustomStringConvertible {
  public var description: String
}

extension SafeTensors {
  /// The floating-point dtypes ``read(path:)`` understands.
  public static let readableTypes = ["F64", "F32", "F16", "BF16"]

  /// Reads every floating-point tensor of a safetensors file (as PyTorch's `save_file` writes
  /// state dicts): `F64`, `F32`, `F16` (IEEE half) and `BF16` (bfloat16), little-endian.
  /// Tensors of other dtypes (integer buffers such as batch-norm counters) are skipped.
  public static func read(path: String) throws -> [StoredTensor] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SafeTensorsError(
        description: "\(path): cannot read the file (it does not exist or is not readable)")
    }
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else {
      throw SafeTensorsError(description: "\(path): too short for a safetensors file")
    }
    var rawLength: UInt64 = 0
    for i in 0..<8 { rawLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard rawLength > 0, rawLength <= UInt64(bytes.count - 8) else {
      throw SafeTensorsError(
        description:
          "\(path): not a safetensors file (header length \(rawLength) does not fit its \(bytes.count) bytes)"
      )
    }
    let headerLength = Int(rawLength)
    guard
      let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)]))
        as? [String: Any]
    else {
      throw SafeTensorsError(description: "\(path): the safetensors header is not a JSON object")
    }
    let base = 8 + headerLength
    var tensors: [StoredTensor] = []
    for name in header.keys.sorted() where name != "__metadata__" {
      guard let entry = header[name] as? [String: Any], let dtype = entry["dtype"] as? String,
        let shape = (entry["shape"] as? [Any])?.compactMap({ $0 as? Int }),
        let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ $0 as? Int }),
        offsets.count == 2
      else {
        throw SafeTensorsError(description: "\(path): tensor \(name) has a malformed entry")
      }
      guard readableTypes.contains(dtype) else { continue }
      let width = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2][dtype]!
      let dataLength = bytes.count - base
      guard shape.allSatisfy({ $0 >= 0 }),
        offsets.allSatisfy({ $0 >= 0 && $0 <= dataLength }), offsets[0] <= offsets[1]
      else {
        throw SafeTensorsError(
          description:
            "\(path): tensor \(name) (\(dtype) \(shape)) has a negative dimension or data offsets \(offsets) outside the file's \(dataLength) data bytes"
        )
      }
      // The element count, refusing one that overflows or exceeds what the file holds.
      var count = 1
      for d in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: d)
        guard !overflow, product <= dataLength else {
          throw SafeTensorsError(
            description:
              "\(path): tensor \(name) (\(dtype) \(shape)) has more elements than the file's \(dataLength) data bytes can hold"
          )
        }
        count = product
      }
      let (begin, end) = (base + offsets[0], base + offsets[1])
      guard end - begin == count * width else {
        throw SafeTensorsError(
          description:
            "\(path): tensor \(name) (\(dtype) \(shape)) has data offsets \(offsets) that do not match its size"
        )
      }
      var values = [Double](repeating: 0, count: count)
      for i in 0..<count {
        let p = begin + i * width
        switch dtype {
        case "F64":
          var bits: UInt64 = 0
          for b in 0..<8 { bits |= UInt64(bytes[p + b]) << (8 * b) }
          values[i] = Double(bitPattern: bits)
        case "F32":
          var bits: UInt32 = 0
          for b in 0..<4 { bits |= UInt32(bytes[p + b]) << (8 * b) }
          values[i] = Double(Float(bitPattern: bits))
        case "F16":
          values[i] = halfToDouble(UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8)
        default:  // BF16: the upper half of a Float32
          let bits = UInt32(UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8) << 16
          values[i] = Double(Float(bitPattern: bits))
        }
      }
      tensors.append(StoredTensor(name: name, dtype: dtype, shape: shape, values: values))
    }
    return tensors
  }
}

/// IEEE 754 binary16 → Double (subnormals, infinities and NaN included).
func halfToDouble(_ h: UInt16) -> Double {
  let sign: Double = h & 0x8000 != 0 ? -1 : 1
  let exponent = Int((h >> 10) & 0x1f)
  let fraction = Double(h & 0x3ff)
  switch exponent {
  case 0: return sign * fraction * pow(2, -24)
  case 31: return fraction == 0 ? sign * .infinity : .nan
  default: return sign * (1 + fraction / 1024) * pow(2, Double(exponent - 15))
  }
}

import Foundation
import Tensors

/// An array read from NumPy's `.npy` format (format versions 1.0, 2.0 and 3.0): the magic
/// string `\x93NUMPY`, a version, a little-endian header length, a Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }`, then the raw data.
///
/// Numeric dtypes are accepted in either byte order: floats `f2 f4 f8`, signed and unsigned
/// integers of 1–8 bytes, and booleans `b1`; values are converted to `Double`. Fortran-ordered
/// arrays are transposed to row-major order.
public struct NPYArray: Sendable, Equatable {
  public var shape: [Int]
  /// Values in row-major order.
  public var values: [Double]
  /// The dtype string from the header, e.g. `<f4`.
  public var descr: String

  /// Whether every value is an integer (as class labels must be).
  public var isIntegral: Bool { values.allSatisfy { $0 == $0.rounded() } }

  public static let allowedTypes =
    "float16/32/64 (f2, f4, f8), int8…int64 (i1…i8), uint8…uint64 (u1…u8), bool (b1)"

  /// Reads and validates `path`.
  public static func read(path: String) throws -> NPYArray {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError("\(path): cannot read the file (it does not exist or is not readable)")
    }
    return try parse([UInt8](data), path: path)
  }

  /// Parses the bytes of an `.npy` file; `path` only names it in errors.
  public static func parse(_ bytes: [UInt8], path: String) throws -> NPYArray {
    let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw DataError("\(path): not a NumPy .npy file (missing the \\x93NUMPY magic string)")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw DataError("\(path): truncated .npy header") }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw DataError("\(path): .npy format version \(major) is not supported (allowed: 1, 2, 3)")
    }
    guard bytes.count >= headerStart + headerLength else {
      throw DataError("\(path): truncated .npy header (\(bytes.count) bytes in the file)")
    }
    guard
      let header = String(
        bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8)
    else { throw DataError("\(path): .npy header is not text") }
    let descr = try field("descr", in: header, path: path)
      .trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
    let fortran = try field("fortran_order", in: header, path: path)
      .trimmingCharacters(in: .whitespaces)
    let shapeText = try field("shape", in: header, path: path)
    let shape = try shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
      .split(separator: ",").map { piece -> Int in
        guard let n = Int(piece.trimmingCharacters(in: .whitespaces)), n >= 0 else {
          throw DataError("\(path): bad shape \(shapeText) in the .npy header")
        }
        return n
      }
    let (decode, size) = try decoder(for: descr, path: path)
    var count = 1
    for extent in shape + [size] {
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      guard !overflow, product <= bytes.count else {
        throw DataError(
          "\(path): truncated: the header promises shape \(shape) of \(descr), more than the file's \(bytes.count) bytes"
        )
      }
      count = product
    }
    count /= size
    let dataStart = headerStart + headerLength
    let needed = count * size
    guard bytes.count - dataStart >= needed else {
      throw DataError(
        "\(path): truncated: the header promises shape \(shape) of \(descr) (\(needed) bytes), "
          + "the file holds \(bytes.count - dataStart)")
    }
    var values = [Double](repeating: 0, count: count)
    bytes.withUnsafeBufferPointer { raw in
      for i in 0..<count { values[i] = decode(raw.baseAddress! + dataStart + i * size) }
    }
    if fortran == "True" && shape.count > 1 {
      values = fortranToRowMajor(values, shape: shape)
    }
    return NPYArray(shape: shape, values: values, descr: descr)
  }

  static func field(_ key: String, in header: String, path: String) throws -> String {
    guard let keyRange = header.range(of: "'\(key)'") else {
      throw DataError("\(path): .npy header has no '\(key)' entry")
    }
    var rest = header[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
    if rest.hasPrefix("(") {
      guard let close = rest.firstIndex(of: ")") else {
        throw DataError("\(path): malformed '\(key)' in the .npy header")
      }
      return String(rest[...close])
    }
    if let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) { rest = rest[..<end] }
    return String(rest)
  }

  static func decoder(for descr: String, path: String) throws -> (
    (UnsafePointer<UInt8>) -> Double, Int
  ) {
    guard descr.count >= 3, let size = Int(descr.dropFirst(2)) else {
      throw DataError(
        "\(path): unsupported dtype '\(descr)' (allowed: \(allowedTypes))")
    }
    let order = descr.first!
    let kind = descr.dropFirst().first!
    let swap = order == ">"  // this machine is little-endian
    guard order == "<" || order == ">" || order == "|" || order == "=" else {
      throw DataError("\(path): unsupported byte order in dtype '\(descr)'")
    }
    func load<T: FixedWidthInteger>(_: T.Type, _ p: UnsafePointer<UInt8>) -> T {
      var value: T = 0
      withUnsafeMutableBytes(of: &value) {
        $0.copyMemory(from: UnsafeRawBufferPointer(start: p, count: MemoryLayout<T>.size))
      }
      return swap ? value.byteSwapped : value
    }
    switch (kind, size) {
    case ("f", 2): return ({ Double(Float16(bitPattern: load(UInt16.self, $0))) }, 2)
    case ("f", 4): return ({ Double(Float(bitPattern: load(UInt32.self, $0))) }, 4)
    case ("f", 8): return ({ Double(bitPattern: load(UInt64.self, $0)) }, 8)
    case ("i", 1): return ({ Double(Int8(bitPattern: $0.pointee)) }, 1)
    case ("i", 2): return ({ Double(load(Int16.self, $0)) }, 2)
    case ("i", 4): return ({ Double(load(Int32.self, $0)) }, 4)
    case ("i", 8): return ({ Double(load(Int64.self, $0)) }, 8)
    case ("u", 1), ("b", 1): return ({ Double($0.pointee) }, 1)
    case ("u", 2): return ({ Double(load(UInt16.self, $0)) }, 2)
    case ("u", 4): return ({ Double(load(UInt32.self, $0)) }, 4)
    case ("u", 8): return ({ Double(load(UInt64.self, $0)) }, 8)
    default:
      throw DataError("\(path): unsupported dtype '\(descr)' (allowed: \(allowedTypes))")
    }
  }

  static func fortranToRowMajor(_ values: [Double], shape: [Int]) -> [Double] {
    // Column-major offset of index (i₀…i_{r−1}) is Σ i_j·Π_{k<j} n_k.
    var result = [Double](repeating: 0, count: values.count)
    var index = [Int](repeating: 0, count: shape.count)
    for flat in 0..<values.count {
      var offset = 0
      var step = 1
      for axis in 0..<shape.count {
        offset += index[axis] * step
        step *= shape[axis]
      }
      result[flat] = values[offset]
      var axis = shape.count - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }
}

/// Writes row-major `Float` data as a version-1.0 `.npy` file of dtype `<f4`.
public func writeNPY(_ tensor: Tensor<Float>, to path: String) throws {
  let payload = tensor.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
  try writeNPY(payload: payload, descr: "<f4", shape: tensor.shape, to: path)
}

/// Writes row-major `Double` values of the given shape as a `.npy` file of dtype `<f8`
/// (bit-exact, little-endian).
public func writeNPY(_ values: [Double], shape: [Int], to path: String) throws {
  precondition(
    shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
  let payload = values.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
  try writeNPY(payload: payload, descr: "<f8", shape: shape, to: path)
}

func writeNPY(payload: [UInt8], descr: String, shape: [Int], to path: String) throws {
  let shapeText =
    shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
  var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
  // Pad with spaces so that magic + version + length + header ends on a 64-byte boundary.
  let unpadded = 10 + header.utf8.count + 1
  header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
  var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
  let length = header.utf8.count
  bytes += [UInt8(length & 0xff), UInt8(length >> 8)]
  bytes += Array(header.utf8)
  bytes += payload
  try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Loads a data set from `.npy` files: features `(n, d)` (a 1-D array is one feature) and
/// labels of length `n` (integers for classification, any numbers for regression).
public enum NPYLoader {
  public static func load(
    featuresPath: String, labelsPath: String, task: TaskKind = .classification,
    requiresTwoClasses: Bool = true
  )
    throws -> Dataset
  {
    let x = try NPYArray.read(path: featuresPath)
    let y = try NPYArray.read(path: labelsPath)
    guard x.shape.count == 1 || x.shape.count == 2 else {
      throw DataError("\(featuresPath): features must be a 1-D or 2-D array, got shape \(x.shape)")
    }
    let n = x.shape[0]
    let d = x.shape.count == 2 ? x.shape[1] : 1
    guard n > 0 && d > 0 else {
      throw DataError(
        "\(featuresPath): features of shape \(x.shape) hold no values; need (n, d) with n, d ≥ 1")
    }
    guard y.shape == [n] || y.shape == [n, 1] else {
      throw DataError(
        "\(labelsPath): labels must have shape (\(n),) to match \(featuresPath), got \(y.shape)")
    }
    guard x.values.allSatisfy({ Float($0).isFinite }), y.values.allSatisfy({ Float($0).isFinite })
    else {
      throw DataError(
        "\(featuresPath), \(labelsPath): values must be finite in single precision (found NaN or ±∞)"
      )
    }
    let inputs = Tensor(shape: [n, d], scalars: x.values.map { Float($0) })
    if task == .regression {
      return Dataset(
        inputs: inputs,
        targets: .values(Tensor(shape: [n, 1], scalars: y.values.map { Float($0) })))
    }
    guard y.isIntegral, y.values.allSatisfy({ $0 >= 0 && $0 < 1e6 }) else {
      throw DataError(
        "\(labelsPath): labels must be class indices (allowed: integers 0, 1, 2, …); found "
          + "\(y.values.first { $0 < 0 || $0 != $0.rounded() || $0 >= 1e6 } ?? -1)")
    }
    let labels = y.values.map { Int($0) }
    let classes = (labels.max() ?? 0) + 1
    guard classes >= 2 || !requiresTwoClasses else {
      throw DataError("\(labelsPath): every label is 0; classification needs at least two classes")
    }
    return Dataset(inputs: inputs, targets: .classes(labels: labels, count: classes))
  }
}

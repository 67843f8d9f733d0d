import CZlib
import Foundation

/// A PNG image read as grey levels in [0, 1] (W3C PNG specification, 2nd ed.): the chunks are
/// checked by their CRC-32, the `IDAT` stream inflated by zlib, each scanline unfiltered (none,
/// sub, up, average, Paeth) and its samples converted — grey and grey+alpha as they are, RGB
/// and RGBA and palette colours by their luminance 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601),
/// an alpha channel composited over white. Bit depths 1, 2, 4, 8 and 16; interlaced images
/// are refused with an error saying so.
public struct PNGImage: Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// `width·height` grey levels, row by row from the top.
  public var grey: [Double]

  public static func read(path: String) throws -> PNGImage {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError("\(path): cannot read the file (it does not exist or is not readable)")
    }
    return try decode([UInt8](data), path: path)
  }

  /// Decodes the bytes of a PNG file; `path` only names it in errors.
  public static func decode(_ bytes: [UInt8], path: String) throws -> PNGImage {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.count >= 8, Array(bytes[0..<8]) == signature else {
      throw DataError("\(path): not a PNG file (missing the PNG signature)")
    }
    func uint32(_ at: Int) -> Int {
      Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
    }
    var offset = 8
    var header: [UInt8]? = nil
    var palette: [UInt8] = []
    var stream: [UInt8] = []
    var ended = false
    while offset + 12 <= bytes.count && !ended {
      let length = uint32(offset)
      let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
      guard length <= bytes.count - offset - 12 else {
        throw DataError("\(path): chunk \(type) runs past the end of the file (truncated PNG)")
      }
      let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
      let crc = bytes[(offset + 4)..<(offset + 8 + length)].withContiguousStorageIfAvailable {
        crc32(0, $0.baseAddress, uInt($0.count))
      }
      guard let crc, Int(crc) == uint32(offset + 8 + length) else {
        throw DataError("\(path): chunk \(type) fails its CRC-32 check (corrupted PNG)")
      }
      switch type {
      case "IHDR": header = body
      case "PLTE": palette = body
      case "IDAT": stream += body
      case "IEND": ended = true
      default: break
      }
      offset += 12 + length
    }
    guard ended else {
      throw DataError("\(path): the file ends before its IEND chunk (truncated PNG)")
    }
    guard let header, header.count == 13 else {
      throw DataError("\(path): no valid IHDR chunk (corrupted PNG)")
    }
    let width = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
    let height = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
    let (depth, colour, interlace) = (Int(header[8]), Int(header[9]), header[12])
    let channels: Int
    switch colour {
    case 0: channels = 1
    case 2: channels = 3
    case 3: channels = 1
    case 4: channels = 2
    case 6: channels = 4
    default: throw DataError("\(path): PNG colour type \(colour) is not defined")
    }
    let allowedDepths = colour == 3 ? [1, 2, 4, 8] : (colour == 0 ? [1, 2, 4, 8, 16] : [8, 16])
    guard allowedDepths.contains(depth) else {
      throw DataError("\(path): bit depth \(depth) is not allowed for PNG colour type \(colour)")
    }
    guard interlace == 0 else {
      throw DataError(
        "\(path): interlaced (Adam7) PNG images are not read; save it without interlacing")
    }
    // At most 2^24 pixels (4096² or any other shape): the decoded rows, grey levels and masks
    // then stay within a few hundred megabytes whatever the header claims.
    guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24, width * height <= 1 << 24
    else {
      throw DataError(
        "\(path): image of \(width) × \(height) pixels (allowed: at most 16777216 pixels, e.g. 4096 × 4096)"
      )
    }
    guard colour != 3 || palette.count >= 3 else {
      throw DataError("\(path): palette image without a PLTE chunk")
    }
    let bitsPerPixel = depth * channels
    let stride = (width * bitsPerPixel + 7) / 8
    let bytesPerPixel = max(1, bitsPerPixel / 8)
    var raw = [UInt8](repeating: 0, count: height * (stride + 1))
    var rawLength = uLongf(raw.count)
    let status = uncompress(&raw, &rawLength, stream, uLong(stream.count))
    guard status == Z_OK, Int(rawLength) == raw.count else {
      throw DataError(
        "\(path): the image data does not inflate to \(height) rows of \(stride) bytes "
          + "(zlib status \(status); corrupted PNG)")
    }
    // Unfilter in place, row by row.
    var previous = [UInt8](repeating: 0, count: stride)
    var pixels = [UInt8](repeating: 0, count: height * stride)
    for row in 0..<height {
      let filter = raw[row * (stride + 1)]
      var line = Array(raw[(row * (stride + 1) + 1)..<((row + 1) * (stride + 1))])
      for i in 0..<stride {
        let a = i >= bytesPerPixel ? Int(line[i - bytesPerPixel]) : 0
        let b = Int(previous[i])
        let c = i >= bytesPerPixel ? Int(previous[i - bytesPerPixel]) : 0
        let predictor: Int
        switch filter {
        case 0: predictor = 0
        case 1: predictor = a
        case 2: predictor = b
        case 3: predictor = (a + b) / 2
        case 4:
          let p = a + b - c
          let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
          predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default:
          throw DataError("\(path): row \(row) has filter type \(filter) (allowed: 0…4)")
        }
        line[i] = UInt8(truncatingIfNeeded: Int(line[i]) + predictor)
      }
      pixels.replaceSubrange((row * stride)..<((row + 1) * stride), with: line)
      previous = line
    }
    let maximum = Double((1 << depth) - 1)
    func sample(_ row: Int, _ index: Int) -> Double {
      let base = row * stride
      switch depth {
      case 16: return Double(Int(pixels[base + 2 * index]) << 8 | Int(pixels[base + 2 * index + 1]))
      case 8: return Double(pixels[base + index])
      default:
        let bit = index * depth
        let byte = pixels[base + bit / 8]
        return Double(Int(byte) >> (8 - depth - bit % 8) & ((1 << depth) - 1))
      }
    }
    var grey = [Double](repeating: 0, count: width * height)
    for row in 0..<height {
      for column in 0..<width {
        let k = column * channels
        var level: Double
        var alpha = 1.0
        switch colour {
        case 0: level = sample(row, k) / maximum
        case 3:
          let entry = Int(sample(row, k))
          guard 3 * entry + 2 < palette.count else {
            throw DataError(
              "\(path): pixel (\(row), \(column)) names palette entry \(entry) of \(palette.count / 3)"
            )
          }
          level =
            (0.299 * Double(palette[3 * entry]) + 0.587 * Double(palette[3 * entry + 1])
              + 0.114 * Double(palette[3 * entry + 2])) / 255
        case 4:
          level = sample(row, k) / maximum
          alpha = sample(row, k + 1) / maximum
        default:
          level =
            (0.299 * sample(row, k) + 0.587 * sample(row, k + 1) + 0.114 * sample(row, k + 2))
            / maximum
          if colour == 6 { alpha = sample(row, k + 3) / maximum }
        }
        grey[row * width + column] = alpha * level + (1 - alpha)
      }
    }
    return PNGImage(width: width, height: height, grey: grey)
  }
}

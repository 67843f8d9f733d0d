import CZlib
import Data
import Foundation
import Testing

/// A PNG written here, independently of the decoder: rows of raw samples, each filtered with
/// the given filter type (the encoder's side of the specification's five predictors), packed
/// at `depth` bits, compressed by zlib, in chunks with their CRC-32.
func encodePNG(
  width: Int, height: Int, colour: UInt8, depth: Int, samples: [[Int]], filters: [UInt8],
  palette: [UInt8] = []
) -> [UInt8] {
  let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colour)]!
  let bytesPerPixel = max(1, depth * channels / 8)
  var raw: [UInt8] = []
  var previous = [UInt8](repeating: 0, count: (width * channels * depth + 7) / 8)
  for (row, values) in samples.enumerated() {
    var packed = [UInt8](repeating: 0, count: previous.count)
    for (i, v) in values.enumerated() {
      switch depth {
      case 16:
        packed[2 * i] = UInt8(v >> 8)
        packed[2 * i + 1] = UInt8(v & 0xff)
      case 8: packed[i] = UInt8(v)
      default: packed[i * depth / 8] |= UInt8(v << (8 - depth - i * depth % 8))
      }
    }
    let filter = filters[row % filters.count]
    raw.append(filter)
    for i in 0..<packed.count {
      let a = i >= bytesPerPixel ? Int(packed[i - bytesPerPixel]) : 0
      let b = Int(previous[i])
      let c = i >= bytesPerPixel ? Int(previous[i - bytesPerPixel]) : 0
      let p = a + b - c
      let paeth =
        abs(p - a) <= abs(p - b) && abs(p - a) <= abs(p - c)
        ? a : (abs(p - b) <= abs(p - c) ? b : c)
      let predictor = [0, a, b, (a + b) / 2, paeth][Int(filter)]
      raw.append(UInt8(truncatingIfNeeded: Int(packed[i]) - predictor))
    }
    previous = packed
  }
  var length = compressBound(uLong(raw.count))
  var compressed = [UInt8](repeating: 0, count: Int(length))
  _ = compress2(&compressed, &length, raw, uLong(raw.count), 6)
  compressed.removeSubrange(Int(length)...)
  func be(_ v: Int) -> [UInt8] {
    [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
  }
  func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
    let bytes = Array(type.utf8) + body
    let crc = bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
    return be(body.count) + bytes + be(Int(crc))
  }
  let header = be(width) + be(height) + [UInt8(depth), colour, 0, 0, 0]
  return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
    + (palette.isEmpty ? [] : chunk("PLTE", palette)) + chunk("IDAT", compressed)
    + chunk("IEND", [])
}

/// `bytes` (a PNG from ``encodePNG``) with IHDR body bytes `range` replaced by `values` and
/// the chunk's CRC-32 recomputed, so that only the header field differs.
func rewritingHeader(_ bytes: [UInt8], _ range: Range<Int>, with values: [UInt8]) -> [UInt8] {
  var bytes = bytes
  bytes.replaceSubrange(range, with: values)
  let crc = bytes[12..<29].withContiguousStorageIfAvailable {
    crc32(0, $0.baseAddress, uInt($0.count))
  }!
  bytes.replaceSubrange(
    29..<33,
    with: [
      UInt8(crc >> 24 & 0xff), UInt8(crc >> 16 & 0xff), UInt8(crc >> 8 & 0xff), UInt8(crc & 0xff),
    ])
  return bytes
}

/// Every filter type, on 8-bit grey, 16-bit grey, 1- and 4-bit grey and 8-bit RGB(A), comes
/// back as the samples written (grey = sample / (2^depth − 1); RGB by BT.601 luminance; alpha
/// over white).
@Test(arguments: [UInt8(0), 1, 2, 3, 4])
func pngDecoderUndoesEachFilter(filter: UInt8) throws {
  let (w, h) = (7, 5)
  for depth in [1, 4, 8, 16] {
    let top = (1 << depth) - 1
    let samples = (0..<h).map { r in (0..<w).map { c in (r * 37 + c * 11 + r * c) % (top + 1) } }
    let bytes = encodePNG(
      width: w, height: h, colour: 0, depth: depth, samples: samples, filters: [filter, 4, 1])
    let image = try PNGImage.decode(bytes, path: "grey\(depth).png")
    #expect(image.width == w && image.height == h)
    let expected = samples.flatMap { $0 }.map { Double($0) / Double(top) }
    #expect(image.grey == expected, "depth \(depth)")
  }
  let rgba = (0..<h).map { r in (0..<(w * 4)).map { ($0 * 29 + r * 53) % 256 } }
  let image = try PNGImage.decode(
    encodePNG(width: w, height: h, colour: 6, depth: 8, samples: rgba, filters: [filter]),
    path: "rgba.png")
  for r in 0..<h {
    for c in 0..<w {
      let p = rgba[r][(4 * c)..<(4 * c + 4)].map(Double.init)
      let level = (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255
      let alpha = p[3] / 255
      // Same formula in a different order of operations: 1e-12 covers the rounding.
      #expect(abs(image.grey[r * w + c] - (alpha * level + 1 - alpha)) < 1e-12)
    }
  }
}

/// A palette image reads each pixel's palette colour by luminance.
@Test func pngPaletteImage() throws {
  let palette: [UInt8] = [0, 0, 0, 255, 255, 255, 255, 0, 0]
  let samples = [[0, 1, 2, 1], [2, 2, 0, 0]]
  let image = try PNGImage.decode(
    encodePNG(
      width: 4, height: 2, colour: 3, depth: 2, samples: samples, filters: [0],
      palette: palette), path: "palette.png")
  let red = 0.299 * 255 / 255
  #expect(
    image.grey.map { ($0 * 1000).rounded() / 1000 }
      == [0, 1, red, 1, red, red, 0, 0].map { ($0 * 1000).rounded() / 1000 })
}

/// Damaged or unsupported files are refused with an error naming the problem.
@Test func pngDecoderRefusesBadFiles() throws {
  let good = encodePNG(
    width: 3, height: 3, colour: 0, depth: 8, samples: [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    filters: [0])
  func message(_ bytes: [UInt8]) -> String {
    do {
      _ = try PNGImage.decode(bytes, path: "x.png")
      return "decoded"
    } catch { return "\(error)" }
  }
  #expect(message(Array("hello".utf8)).contains("not a PNG"))
  var corrupted = good
  corrupted[40] ^= 0xff  // inside the IDAT body: its CRC no longer matches
  #expect(message(corrupted).contains("CRC"))
  #expect(message(Array(good.prefix(40))).contains("truncated"))
  // IHDR's interlace byte set, the chunk's CRC fixed: only the interlace is wrong.
  let interlaced = rewritingHeader(good, 28..<29, with: [1])
  #expect(message(interlaced).contains("interlaced"))
}

/// A header claiming more than 2^24 pixels is refused before anything of that size is
/// allocated.
@Test func pngDecoderRefusesHugeImages() {
  let bytes = rewritingHeader(
    encodePNG(
      width: 3, height: 3, colour: 0, depth: 8, samples: [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
      filters: [0]), 16..<24, with: [0, 0, 0x20, 0, 0, 0, 0x20, 0])  // 8192 × 8192
  do {
    _ = try PNGImage.decode(bytes, path: "huge.png")
    Issue.record("decoded an 8192² header")
  } catch { #expect("\(error)".contains("16777216")) }
}

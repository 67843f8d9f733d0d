import CZlib

/// Encodes 8-bit RGB pixels as a PNG image (W3C PNG specification, 2nd ed.): signature,
/// `IHDR` (colour type 2, bit depth 8), one `IDAT` holding the zlib-compressed scanlines
/// (filter type 0 on every row), and `IEND`; every chunk closed by its CRC-32.
public enum PNG {
  /// `rgb` holds `width·height·3` bytes, row by row from the top.
  public static func encode(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
    precondition(rgb.count == width * height * 3, "\(rgb.count) bytes for \(width)×\(height) RGB")
    var raw: [UInt8] = []
    raw.reserveCapacity(height * (width * 3 + 1))
    for row in 0..<height {
      raw.append(0)
      raw += rgb[(row * width * 3)..<((row + 1) * width * 3)]
    }
    var compressedLength = compressBound(uLong(raw.count))
    var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
    let status = compress2(&compressed, &compressedLength, raw, uLong(raw.count), 9)
    precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
    compressed.removeSubrange(Int(compressedLength)...)
    var header: [UInt8] = []
    header += bigEndian(UInt32(width))
    header += bigEndian(UInt32(height))
    header += [8, 2, 0, 0, 0]  // depth 8, RGB, deflate, filter 0, no interlace
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
      + chunk("IDAT", compressed) + chunk("IEND", [])
  }

  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typeBytes = Array(type.utf8)
    let crc = (typeBytes + data).withUnsafeBufferPointer {
      crc32(0, $0.baseAddress, uInt($0.count))
    }
    return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(UInt32(crc))
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
  }
}

/// Base64 (RFC 4648) for embedding images in a self-contained HTML page.
public func base64(_ bytes: [UInt8]) -> String {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  var out = ""
  out.reserveCapacity((bytes.count + 2) / 3 * 4)
  var i = 0
  while i < bytes.count {
    let b0 = Int(bytes[i])
    let b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0
    let b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
    out.append(alphabet[b0 >> 2])
    out.append(alphabet[(b0 & 3) << 4 | b1 >> 4])
    out.append(i + 1 < bytes.count ? alphabet[(b1 & 15) << 2 | b2 >> 6] : "=")
    out.append(i + 2 < bytes.count ? alphabet[b2 & 63] : "=")
    i += 3
  }
  return out
}

import Foundation
import Report
import Testing

/// CRC-32 (ISO 3309, polynomial 0xEDB88320) written out independently of zlib.
func crc32Reference(_ bytes: [UInt8]) -> UInt32 {
  var crc: UInt32 = 0xffff_ffff
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
  }
  return ~crc
}

@Test func pngStructure() {
  let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
  let png = PNG.encode(width: 2, height: 2, rgb: rgb)
  #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  // Walk the chunks and check each CRC.
  var offset = 8
  var types: [String] = []
  while offset < png.count {
    let length =
      Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8
      | Int(png[offset + 3])
    let body = Array(png[(offset + 4)..<(offset + 8 + length)])
    let stored = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) {
      $0 << 8 | UInt32($1)
    }
    #expect(stored == crc32Reference(body))
    types.append(String(decoding: body[0..<4], as: UTF8.self))
    if types.last == "IHDR" {
      #expect(Array(body[4..<17]) == [0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0])
    }
    offset += 12 + length
  }
  #expect(types == ["IHDR", "IDAT", "IEND"])
}

@Test func base64MatchesRFC4648Vectors() {
  // RFC 4648 §10 test vectors.
  let vectors = [
    "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
    "foobar": "Zm9vYmFy",
  ]
  for (input, expected) in vectors { #expect(base64(Array(input.utf8)) == expected) }
}

@Test func svgChartIsSelfContained() {
  let svg = SVGPlot.lineChart(
    title: "t <1>", xLabel: "epoch", yLabel: "y",
    series: [
      PlotSeries(
        name: "a", color: "#000", x: [1, 2, 3], y: [1, 2, 3],
        band: ([0.5, 1.5, 2.5], [1.5, 2.5, 3.5]))
    ])
  #expect(svg.hasPrefix("<svg"))
  #expect(svg.contains("t &lt;1&gt;"))
  #expect(svg.contains("<polygon"))
  #expect(!svg.contains("href"))
  #expect(SVGPlot.niceTicks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
}

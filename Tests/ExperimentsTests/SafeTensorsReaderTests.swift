import Experiments
import Foundation
import Tensors
import Testing

/// A safetensors file built byte by byte: F16 (1, −2, 65504, the smallest subnormal 2⁻²⁴),
/// BF16 (1, −5), F64 (π) and an I64 buffer that is skipped; the reader returns the exact
/// values, names sorted.
@Test func readsHalfBfloatAndDoubleTensors() throws {
  let header =
    #"{"__metadata__":{"format":"pt"},"a.half":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},"b.bf16":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},"c.f64":{"dtype":"F64","shape":[1],"data_offsets":[12,20]},"d.count":{"dtype":"I64","shape":[1],"data_offsets":[20,28]}}"#
  var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
  bytes += Array(header.utf8)
  for half: UInt16 in [0x3C00, 0xC000, 0x7BFF, 0x0001] {
    bytes += [UInt8(half & 0xff), UInt8(half >> 8)]
  }
  for bf: UInt16 in [0x3F80, 0xC0A0] { bytes += [UInt8(bf & 0xff), UInt8(bf >> 8)] }
  bytes += withUnsafeBytes(of: Double.pi.bitPattern.littleEndian) { Array($0) }
  bytes += [UInt8](repeating: 7, count: 8)
  let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "st-\(UUID().uuidString).safetensors"
  ).path
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  let tensors = try SafeTensors.read(path: path)
  #expect(tensors.map(\.name) == ["a.half", "b.bf16", "c.f64"])
  #expect(tensors[0].shape == [2, 2])
  #expect(tensors[0].values == [1, -2, 65504, pow(2, -24)])
  #expect(tensors[1].values == [1, -5])
  #expect(tensors[2].values == [Double.pi])
}

/// Our own checkpoints (F32) read back exactly; a truncated file is a one-line error.
@Test func readsOurCheckpointsAndRejectsBrokenFiles() throws {
  let w = Tensor<Float>(shape: [2, 3], scalars: [1, -2.5, 3, 0.125, 5, -6])
  let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "st-\(UUID().uuidString).safetensors"
  ).path
  try SafeTensors.write(["layers.0.weight": w], to: path, metadata: ["format": "pt"])
  let tensors = try SafeTensors.read(path: path)
  #expect(tensors.count == 1 && tensors[0].dtype == "F32" && tensors[0].shape == [2, 3])
  #expect(tensors[0].values == w.scalars.map(Double.init))
  let data = try Data(contentsOf: URL(fileURLWithPath: path))
  try data.prefix(data.count - 4).write(to: URL(fileURLWithPath: path))
  #expect(throws: SafeTensorsError.self) { _ = try SafeTensors.read(path: path) }
}

import Data
import Foundation

extension StoredTensor {
  /// The tensors of a weight file: every tensor of a `.safetensors` file, or the one array of
  /// a `.npy` file (named after the file).
  public static func readWeights(path file: String) throws -> [StoredTensor] {
    if file.hasSuffix(".safetensors") { return try SafeTensors.read(path: file) }
    if file.hasSuffix(".npy") {
      let array = try NPYArray.read(path: file)
      return [
        StoredTensor(
          name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
          dtype: array.descr, shape: array.shape, values: array.values)
      ]
    }
    throw SafeTensorsError(
      description: "\(file): unknown file type (allowed: .npy, .safetensors)")
  }
}

import Foundation
import Tensors

/// Writes the protocol's data set as `.npy` files (inputs `(n, 2)` float32, labels `(n,)`
/// float32), so that peers (bench/seed_protocol_torch.py) train on exactly the same points.
public func exportData(train: Dataset, test: Dataset, to directory: String) throws {
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  for (name, set) in [("train", train), ("test", test)] {
    try writeNPY(set.inputs, to: "\(directory)/\(name)_x.npy")
    try writeNPY(
      Tensor(shape: [set.count], scalars: set.labels.map(Float.init)),
      to: "\(directory)/\(name)_y.npy")
  }
}

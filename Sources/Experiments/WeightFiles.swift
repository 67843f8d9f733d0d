import Data
import Foundation
import Spectral

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

/// The heavy-tailed self-regularization analysis of weight files (Martin & Mahoney 2021,
/// WeightWatcher's conventions): every matrix or convolution kernel of each file, sliced as
/// ``weightWatcherSlices(shape:values:)`` does, whose spectrum has `eigenvalues` eigenvalues,
/// analysed as one ``LayerSpectrumAnalysis`` per tensor, its eigenvalues computed as `route`
/// says (a Gram matrix's blocks shared by `jobs` threads). Vectors and empty tensors are
/// skipped; with several files each layer's name begins with its file's name.
public func analyzeWeightFiles(
  _ files: [String], fit: PowerLawFitMethod, eigenvalues: ClosedRange<Int>,
  route: SpectrumRoute = .automatic, jobs: Int = 1
) throws -> [LayerSpectrumAnalysis] {
  var layers: [LayerSpectrumAnalysis] = []
  for file in files {
    for tensor in try StoredTensor.readWeights(path: file) {
      guard tensor.shape.count >= 2, tensor.shape.count <= 5, !tensor.shape.contains(0) else {
        continue
      }
      let matrices = weightWatcherSlices(shape: tensor.shape, values: tensor.values)
      let dimensions = weightWatcherDimensions(tensor.shape)
      guard eigenvalues.contains(dimensions.m * matrices.count) else { continue }
      let name =
        files.count > 1
        ? "\(URL(fileURLWithPath: file).lastPathComponent):\(tensor.name)" : tensor.name
      do {
        layers.append(
          try LayerSpectrumAnalysis(
            name: name, shape: tensor.shape, matrices: matrices, fit: fit,
            dimensions: dimensions, route: route, jobs: jobs))
      } catch let error as SpectrumError where files.count == 1 {
        throw SpectrumError("\(file): \(error.description)")
      }
    }
  }
  return layers
}

/// One checkpoint of a run and the spectra of its weight matrices.
public struct CheckpointSpectra: Codable, Sendable {
  public var epoch: Int
  public var file: String
  public var layers: [LayerSpectrumAnalysis]
}

/// The spectra of every checkpoint a run kept (`checkpoints/epoch-NNNN.safetensors`, written
/// by `crit train --checkpoint-every`), in epoch order, each analysed as
/// ``analyzeWeightFiles(_:fit:eigenvalues:route:jobs:)`` does: the heavy-tailed metrics of
/// each layer against the epoch. `nil` when `directory` has no checkpoints folder.
public func analyzeCheckpoints(
  directory: String, fit: PowerLawFitMethod, eigenvalues: ClosedRange<Int>,
  route: SpectrumRoute = .automatic, jobs: Int = 1
) throws -> [CheckpointSpectra]? {
  let folder = URL(fileURLWithPath: directory, isDirectory: true)
    .appendingPathComponent("checkpoints", isDirectory: true)
  guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
    return nil
  }
  let checkpoints = names.compactMap { name -> (Int, String)? in
    guard name.hasPrefix("epoch-"), name.hasSuffix(".safetensors"),
      let epoch = Int(name.dropFirst("epoch-".count).dropLast(".safetensors".count))
    else { return nil }
    return (epoch, folder.appendingPathComponent(name).path)
  }.sorted { $0.0 < $1.0 }
  return try checkpoints.map { epoch, path in
    CheckpointSpectra(
      epoch: epoch, file: path,
      layers: try analyzeWeightFiles(
        [path], fit: fit, eigenvalues: eigenvalues, route: route, jobs: jobs))
  }
}

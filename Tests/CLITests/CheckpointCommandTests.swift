import Experiments
import Foundation
import Tensors
import Testing

/// A PyTorch-style state dict (an `nn.Sequential` named `net`, linear layers at 0, 2, 4 and 10,
/// so that plain string order would put 10 before 2) starts `crit train --init-from`: with a
/// learning rate of 10⁻¹² the trained weights stay within 10⁻⁹ of the given ones (Adam moves a
/// weight by at most about lr per step, 13 steps), so every tensor must have reached the layer
/// its number says. A state dict whose shapes do not fit is refused, naming the tensor.
@Test func trainStartsFromAPyTorchStateDict() throws {
  let shapes = [[64, 2], [64, 64], [64, 64], [2, 64]]
  var state: [String: Tensor<Float>] = [:]
  var expected: [String: Tensor<Float>] = [:]
  for (l, (index, shape)) in zip([0, 2, 4, 10], shapes).enumerated() {
    let w = Tensor<Float>(shape: shape) { Float(($0 * 7 + l * 13) % 17) / 40 - 0.2 }
    let b = Tensor<Float>(shape: [shape[0]]) { Float(($0 + l) % 5) / 50 }
    state["net.\(index).weight"] = w
    state["net.\(index).bias"] = b
    expected["layers.\(l).weight"] = w
    expected["layers.\(l).bias"] = b
  }
  let directory = temporaryPath("init")
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  try SafeTensors.write(state, to: directory + "/torch.safetensors")
  let run = try runShippedCrit([
    "train", "--epochs", "1", "--lr", "1e-12", "--init-from", directory + "/torch.safetensors",
    "--out", directory + "/run", "--quiet",
  ])
  #expect(run.status == 0, "\(run.errors)")
  let trained = try SafeTensors.read(path: directory + "/run/model.safetensors")
  #expect(trained.count == 8)
  for tensor in trained {
    let given = try #require(expected[tensor.name], "\(tensor.name)")
    #expect(tensor.shape == given.shape)
    let gap = zip(tensor.values, given.scalars).map { abs($0 - Double($1)) }.max() ?? .nan
    #expect(gap < 1e-9, "\(tensor.name): \(gap)")
  }
  let narrow = try runShippedCrit([
    "train", "--epochs", "1", "--hidden", "32,32,32", "--init-from",
    directory + "/torch.safetensors", "--out", directory + "/narrow", "--quiet",
  ])
  #expect(narrow.status == 2)
  #expect(narrow.errors.contains("net.0.weight") && narrow.errors.contains("[32, 2]"))
}

/// `--checkpoint-every 2` over 6 epochs keeps epochs 2, 4 and 6 (the last equal to the final
/// weights), and `crit analyze RUN` reads them back as spectra against the epoch, each the
/// same as analysing that file alone.
@Test func checkpointsAndTheirSpectraOverTraining() throws {
  let directory = temporaryPath("checkpoints")
  let run = try runShippedCrit([
    "train", "--epochs", "6", "--checkpoint-every", "2", "--out", directory, "--quiet",
  ])
  #expect(run.status == 0, "\(run.errors)")
  let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/checkpoints")
  #expect(
    files.sorted() == [
      "epoch-0002.safetensors", "epoch-0004.safetensors", "epoch-0006.safetensors",
    ])
  let last = try SafeTensors.read(path: directory + "/checkpoints/epoch-0006.safetensors")
  let final = try SafeTensors.read(path: directory + "/model.safetensors")
  #expect(last.map(\.name) == final.map(\.name) && last.map(\.values) == final.map(\.values))
  let json = directory + "/spectra.json"
  let html = directory + "/spectra.html"
  let analyze = try runShippedCrit([
    "analyze", directory, "--min-evals", "2", "--json", json, "--html", html,
  ])
  #expect(analyze.status == 0, "\(analyze.errors)")
  let spectra = try JSONDecoder.forRuns.decode(
    [CheckpointSpectra].self, from: Data(contentsOf: URL(fileURLWithPath: json)))
  #expect(spectra.map(\.epoch) == [2, 4, 6])
  let alone = try analyzeWeightFiles(
    [directory + "/checkpoints/epoch-0004.safetensors"], fit: .weightwatcher, eigenvalues: 2...15000
  )
  #expect(spectra[1].layers.map(\.alpha) == alone.map(\.alpha))
  #expect(try String(contentsOfFile: html, encoding: .utf8).contains("Power-law α of the ESD tail"))
  let bare = temporaryPath("no-checkpoints")
  try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
  let empty = try runShippedCrit(["analyze", bare])
  #expect(empty.status == 2 && empty.errors.contains("--checkpoint-every"), "\(empty.errors)")
}

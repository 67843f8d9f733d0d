import ArgumentParser
import Experiments
import Foundation
import Report

extension AnalyzeCommand {
  /// `crit analyze RUN_DIRECTORY`: every checkpoint the run kept, its layers' α, spectral norm
  /// and stable rank against the epoch (a table; JSON, CSV and an HTML page of the curves).
  func analyzeRunDirectory(_ directory: String) throws {
    guard
      let checkpoints = try analyzeCheckpoints(
        directory: directory, fit: fit, eigenvalues: minEvals...maxEvals, route: spectrum,
        jobs: threads), !checkpoints.isEmpty
    else {
      throw ValidationError(
        "\(directory): a directory without checkpoints/epoch-NNNN.safetensors; train with "
          + "--checkpoint-every k to keep them, or name weight files")
    }
    func f(_ x: Double?, _ format: String = "%.3f") -> String {
      x.map { $0.isFinite ? String(format: format, $0) : "–" } ?? "–"
    }
    let rows = checkpoints.flatMap { c in
      c.layers.map { l in
        [
          "\(c.epoch)", l.name, f(l.alpha, "%.2f"), f(l.alphaWeighted), f(l.logSpectralNorm),
          f(l.stableRank, "%.1f"),
        ]
      }
    }
    print(
      renderTable(
        header: ["epoch", "layer", "α", "α̂ (weighted)", "log λ_max", "stable rank"], rows: rows))
    if let json {
      try JSONEncoder.forRuns.encode(checkpoints).write(to: URL(fileURLWithPath: json))
    }
    if let csv {
      var text = "epoch,layer,alpha,alpha_se,x_min,alpha_weighted,log_spectral_norm,stable_rank\n"
      for c in checkpoints {
        for l in c.layers {
          text +=
            "\(c.epoch),\"\(l.name)\",\(opt(l.alpha)),\(opt(l.alphaStandardError)),\(opt(l.xMin)),"
            + "\(opt(l.alphaWeighted)),\(l.logSpectralNorm),\(l.stableRank)\n"
        }
      }
      try text.write(toFile: csv, atomically: true, encoding: .utf8)
    }
    if let html {
      try Data(checkpointSpectraPage(checkpoints, directory: directory).utf8).write(
        to: URL(fileURLWithPath: html))
    }
  }
}

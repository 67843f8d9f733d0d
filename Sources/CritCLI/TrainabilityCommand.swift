import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

/// `crit run trainability`: SPEC §7 protocol 4, the fractal boundary of trainability
/// (Sohl-Dickstein 2024): an image of which hyperparameters train, a zoom series toward a
/// boundary point, and the boundary's box-counting dimension per frame.
struct TrainabilityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trainability",
    abstract:
      "Images of the trainability boundary (converged vs diverged per learning-rate pair) with a zoom series and boundary dimensions; writes runs/<name>/report.html.",
    discussion: """
      Each pixel trains the 16-wide one-hidden-layer network of the paper (d = 16, N = 272, \
      W₀, W₁, X, Y ~ N(0, 1) from --seed) by gradient descent at its own learning rates, \
      batched eight pixels per vector pass on every thread. Writes, per frame k, \
      frame-k.npy (r × r float64 measures, row 0 = smallest v), frame-k.png, and \
      frames.json; problem/{x,y,w0,w1}.npy hold the network and data. Each frame is --tiles \
      runs of rows in a results store (store.sqlite in the run's directory, or --store), so \
      a rerun resumes and any number of processes running the same command on one --store \
      share the tiles (the merged frame is bit-identical to a one-process frame).
      """)

  @OptionGroup var options: TrainabilityOptions

  func run() throws { try options.run() }
}

extension TrainabilityOptions {
  func run() throws {
    if let name { try OutputPath.checkName(name, option: "--name") }
    let directory = "\(runs)/\(try runName)"
    try OutputPath.checkDirectory(directory, option: "--runs")
    let controls = try conditions()
    let stop = StopFlag()
    let interrupt = installInterruptHandler(stop)
    defer { interrupt.cancel() }
    if controls.count == 1 && seeds == 1 {
      _ = try series(controls[0], seed: seed, in: directory, stop: stop)
      return
    }
    var compared: [(name: String, seeds: SeedsRecord)] = []
    for control in controls {
      let folder = controls.count == 1 ? directory : "\(directory)/\(control.label)"
      var rows: [SeedsRecord.Seed] = []
      for s in seed..<(seed + UInt64(seeds)) {
        if !quiet { print("\(controls.count > 1 ? control.label + ", " : "")seed \(s):") }
        let median = try series(control, seed: s, in: "\(folder)/seed-\(s)", stop: stop)
        rows.append(SeedsRecord.Seed(seed: s, medianDimension: median))
      }
      let record = SeedsRecord(seeds: rows)
      try writeRunJSON(record, to: "\(folder)/seeds.json")
      compared.append((control.label, record))
    }
    let comparison = TrainabilityComparison(conditions: compared)
    let text = comparison.table.textTable(corner: "condition")
    print(renderTable(header: text.header, rows: text.rows))
    if controls.count > 1 {
      try writeRunJSON(comparison.record, to: "\(directory)/comparison.json")
      try comparison.html(
        title: "Spectral control of W₀: \(controls.map(\.label).joined(separator: ", "))",
        provenance:
          "\(seeds) networks (seeds \(seed)…\(seed + UInt64(seeds) - 1)) per condition, \(zoom)-frame zoom series of \(resolution)² pixels × \(steps) steps each."
      ).write(toFile: "\(directory)/comparison.html", atomically: true, encoding: .utf8)
      print("comparison: \(directory)/comparison.html, \(directory)/comparison.json")
    } else {
      print("per-seed reports: \(directory)/seed-*/report.html; summary: \(directory)/seeds.json")
    }
  }

  /// One network's zoom series in `directory`; returns its median boundary dimension.
  func series(
    _ control: TrainabilitySpectralControl, seed: UInt64, in directory: String, stop: StopFlag
  )
    throws -> Double?
  {
    let run = TrainabilitySeries(
      setup: setup(control, seed: seed),
      zoom: TrainabilityZoom(
        start: try firstView(), finalWidth: zoomTo, frames: zoom, target: zoomTarget),
      resolution: resolution, threads: threads, directory: directory,
      storeName: try runName, tiles: tileCount, lease: lease)
    let bar = LockedProgress(total: zoom * resolution * resolution, unit: "pixel", enabled: !quiet)
    let ending = try run.run(
      store: try openStore(store ?? "sqlite:\(directory)/store.sqlite"), shared: store != nil,
      stop: stop, progress: { bar.update($0) },
      log: { line, notice in if notice || !quiet { print(line) } })
    bar.finish()
    guard case .finished(let outcome) = ending else {
      if case .interrupted(let finished) = ending {
        throw InterruptedDemo(finished: finished, total: zoom, directory: directory)
      }
      return nil
    }
    var rows = outcome.frames.enumerated().map { k, f -> [String] in
      [
        "\(k)", String(format: "%.3g", f.view.width),
        String(format: "%.1f %%", 100 * f.convergedFraction),
        String(format: "%.3f ± %.3f", f.dimension.dimension, f.dimension.standardError),
      ]
    }
    if let median = outcome.medianDimension {
      rows.append(["median", "", "", String(format: "%.3f", median)])
    }
    print(renderTable(header: ["frame", "width", "converged", "boundary D ± SE"], rows: rows))
    print(
      String(
        format: "%.0f pixel-steps/s; report: %@/report.html",
        outcome.pixelSteps / max(outcome.seconds, 1e-9), directory))
    return outcome.medianDimension
  }
}

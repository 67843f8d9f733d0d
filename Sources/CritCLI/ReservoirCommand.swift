import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

/// `crit run reservoir`: SPEC §7 protocol 5 (``ReservoirProtocol``).
struct ReservoirCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reservoir",
    abstract:
      "Echo-state memory capacity and NARMA-10 vs spectral radius, λ_max vs gain (mean field beside simulation), and trained RNNs with and without recurrent spectral control; writes runs/<name>/report.html.",
    discussion: """
      Full protocol: N = 100 tanh reservoirs at ρ = 0.1…1.6 (5 seeds, 10⁴ steps each); N = 1000 \
      random networks at 9 gains, undriven and noise-driven; 64-unit RNNs on delayed recall \
      (lags 1…10), temporal parity and NARMA-10 under 4 conditions × 5 seeds. --quick is a \
      few-minute version. Trained runs are kept per run directory: the same command resumes.
      """)

  @Flag(help: "The quick protocol (a few minutes).")
  var quick = false

  @Option(help: "Reservoir units N (default 100).")
  var units: Int?

  @Option(help: "Spectral radii, comma-separated (default 0.1,0.2,…,1.6).")
  var rhos: String?

  @Option(help: "Input scaling of the reservoir (default 0.1).")
  var inputScaling: Double?

  @Flag(
    help:
      "Draw the reservoirs as reservoirpy 0.4's Reservoir does by default: W with connectivity 0.1, W_in ±1 with input connectivity 0.1, input scaling 1 (unless --input-scaling)."
  )
  var reservoirpyDefaults = false

  @Option(help: "Reservoir seeds per spectral radius (default 5, quick 2).")
  var reservoirSeeds: Int?

  @Option(help: "Seeds per trained-RNN cell (default 5, quick 3).")
  var seeds: Int?

  @Option(help: "Epochs per trained RNN (default 40, quick 12).")
  var epochs: Int?

  @Option(help: "Units of the random networks for λ_max (default 1000, quick 300).")
  var lyapunovUnits: Int?

  @Option(
    help:
      "JSON written by bench/reservoir_reference.py (keys rho, mc_mean, library): its memory-capacity curve is drawn beside ours."
  )
  var reference: String?

  @OptionGroup var options: ProtocolRunOptions

  func validate() throws {
    try checkCount(
      seeds, "--seeds", 2...OptionLimits.seeds, tooFew: "need at least 2 for confidence intervals")
    try checkCount(
      reservoirSeeds, "--reservoir-seeds", 1...OptionLimits.seeds, tooFew: "must be at least 1")
    try checkCount(epochs, "--epochs", 1...OptionLimits.epochs)
    try checkCount(units, "--units", 1...OptionLimits.units)
    try checkCount(lyapunovUnits, "--lyapunov-units", 2...OptionLimits.units)
    try checkNumber(inputScaling, "--input-scaling", 0...1e6)
  }

  func definition() throws -> ReservoirProtocol {
    var p = quick ? ReservoirProtocol.quick() : ReservoirProtocol.full()
    var suffix = ""
    if let units {
      p.echoState.reservoir.units = units
      p.echoState.maxDelay = min(2 * units, p.echoState.readout.washout)
      suffix += "-n\(units)"
    }
    if let rhos {
      p.echoState.radii = try numberList(
        rhos, flag: "--rhos", "every spectral radius must be a finite number ≥ 0"
      ) { $0 >= 0 }
      suffix += "-rhos"
    }
    if reservoirpyDefaults {
      p.echoState.reservoir = .reservoirpyDefaults(units: p.echoState.reservoir.units)
      suffix += "-reservoirpy"
    }
    if let inputScaling {
      p.echoState.reservoir.inputScaling = inputScaling
      suffix += "-in\(inputScaling)"
    }
    if let reservoirSeeds { p.echoState.seeds = (0..<reservoirSeeds).map(UInt64.init) }
    if let seeds {
      p.recurrent.seeds = (0..<seeds).map(UInt64.init)
      suffix += "-seeds\(seeds)"
    }
    if let epochs {
      p.recurrent.base.epochs = epochs
      suffix += "-epochs\(epochs)"
    }
    if let lyapunovUnits { p.lyapunov.units = lyapunovUnits }
    p.name += suffix
    if let problem = p.echoState.problem {
      throw ValidationError("\(problem.key): \(problem.message)")
    }
    if let problem = p.lyapunov.problem {
      throw ValidationError("lyapunov.\(problem.key): \(problem.message)")
    }
    for run in p.recurrent.runs { try run.configuration.validate() }
    return p
  }

  func run() throws {
    let p = try definition()
    let referenceCurve = try reference.map { path in
      do { return try ReservoirReport.readReference(path: path) } catch let error
        as ReferenceCurveError
      {
        throw ValidationError("--reference: \(error.description)")
      }
    }
    let directory = try options.directory(for: p.name)
    let (jobs, quiet) = (options.jobs, options.quiet)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let clock = ContinuousClock()
    let start = clock.now
    let stop = StopFlag()
    let interrupt = installInterruptHandler(stop)
    defer { interrupt.cancel() }

    // 1. Echo-state networks.
    let esnCount = p.echoState.radii.count * p.echoState.seeds.count
    let esnBar = LockedProgress(total: esnCount, unit: "reservoir", enabled: !quiet)
    let echoState = try p.echoState.run(jobs: jobs) { esnBar.update($0) }
    esnBar.finish()
    try writeRunJSON(echoState, to: "\(directory)/echo-state.json")
    // 2. Lyapunov exponents.
    let lyapunovCount = p.lyapunov.gains.count * 2 * p.lyapunov.seeds.count
    let lyapunovBar = LockedProgress(total: lyapunovCount, unit: "network", enabled: !quiet)
    let lyapunov = p.lyapunov.run(jobs: jobs) { lyapunovBar.update($0) }
    lyapunovBar.finish()
    try writeRunJSON(lyapunov, to: "\(directory)/lyapunov.json")
    // 3. Trained RNNs.
    let total = p.recurrent.runs.count
    let rnnBar = LockedProgress(total: total, unit: "run", enabled: !quiet)
    let results = try openStore(options.storeURL(directory: directory, file: "store.sqlite"))
    let records = try p.recurrent.run(
      store: results, sweep: "\(p.name)-rnn", directory: "\(directory)/rnn", jobs: jobs,
      lease: options.lease ?? 60, stop: stop
    ) { done, _ in rnnBar.update(done) }
    rnnBar.finish()
    if stop.isStopped || records.count < total {
      throw InterruptedDemo(finished: records.count, total: total, directory: "\(directory)/rnn")
    }
    let seconds = (clock.now - start).inSeconds
    let report = ReservoirReport(
      title: "Recurrent networks at the edge of chaos (\(p.name))",
      description:
        "Echo-state reservoirs, random recurrent networks and trained RNNs; SPEC protocol 5.",
      echoState: echoState, echoStateSweep: p.echoState, lyapunov: lyapunov,
      lyapunovSweep: p.lyapunov, recurrent: records, conditions: p.recurrent.conditions.map(\.name),
      tasks: p.recurrent.tasks.map(\.name), seconds: seconds, reference: referenceCurve)
    try report.html().write(toFile: "\(directory)/report.html", atomically: true, encoding: .utf8)
    print(
      renderTable(header: ["ρ", "memory capacity", "NARMA-10 NRMSE"], rows: report.echoStateRows))
    if let peak = report.peak {
      print(
        String(
          format: "peak memory capacity %.2f at ρ = %.2f (N = %d)", peak.memoryCapacity,
          peak.radius,
          p.echoState.reservoir.units))
    }
    print(renderTable(header: ReservoirReport.lyapunovHeader, rows: report.lyapunovRows))
    print(renderTable(header: ["test score"] + report.tasks, rows: report.recurrentRows))
    print(
      renderTable(
        header: ["", "value"],
        rows: [
          ["time", String(format: "%.1f s", seconds)], ["report", "\(directory)/report.html"],
        ]))
  }
}

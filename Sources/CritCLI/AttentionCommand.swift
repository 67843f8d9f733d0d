import ArgumentParser
import Experiments
import Foundation
import Report
import Sweeps

/// `crit run attention`: SPEC §7 protocol 7, its first part (``AttentionProtocol``).
struct AttentionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attention",
    abstract:
      "Rank collapse against depth at initialisation, and small transformers trained on sequence tasks with and without spectral control; writes runs/<name>/report.html.",
    discussion: """
      Stacks of 32 freshly drawn blocks (width 64, 4 heads, 32 Gaussian tokens, 10 seeds per \
      architecture, double precision); --quick: depth 16, width 32, 16 tokens, 5 seeds. The \
      relative residual ‖X − 1x̄ᵀ‖/‖X‖ and the effective rank after every block. Then \
      two-layer transformers (width 64, 4 heads, 16 tokens) trained by Adam for 1500 steps on \
      induction, reverse and the toy sum y = (1/L) Σ x₁ᵃx₂ᵃx₃ᵇ, with no control, a penalty \
      on σ_max(W_Q,hᵀ W_K,h) and σReparam, 5 seeds each; --quick: width 32, 8 tokens, 200 \
      steps, 2 seeds. Runs go through a results store (kinds rank-collapse and \
      transformer-task): the same command resumes.
      """)

  @Flag(help: "The quick protocol (seconds).")
  var quick = false

  @Option(help: "Seeds per architecture (default 10; quick 5).")
  var seeds: Int?

  @Option(help: "Blocks in each stack (default 32; quick 16).")
  var depth: Int?

  @Option(help: "Seeds per task and control of the trained part (default 5; quick 2).")
  var trainingSeeds: Int?

  @Option(help: "Adam steps of each trained transformer (default 1500; quick 200).")
  var steps: Int?

  @OptionGroup var options: ProtocolRunOptions

  func validate() throws {
    try checkCount(seeds, "--seeds", 1...1000)
    try checkCount(depth, "--depth", 1...1024)
    try checkCount(trainingSeeds, "--training-seeds", 1...1000)
    try checkCount(steps, "--steps", 1...1_000_000)
  }

  func definition() -> AttentionProtocol {
    var definition = quick ? AttentionProtocol.quick() : AttentionProtocol.full()
    if let seeds {
      definition.seeds = seeds
      definition.name += "-s\(seeds)"
    }
    if let depth {
      definition.depth = depth
      definition.name += "-depth\(depth)"
    }
    if let trainingSeeds {
      definition.training.seeds = trainingSeeds
      definition.name += "-ts\(trainingSeeds)"
    }
    if let steps {
      definition.training.template.steps = steps
      definition.training.template.recordEvery = max(1, steps / 6)
      definition.name += "-steps\(steps)"
    }
    return definition
  }

  var commandLine: String {
    var words = ["crit run attention"]
    if quick { words.append("--quick") }
    if let seeds { words.append("--seeds \(seeds)") }
    if let depth { words.append("--depth \(depth)") }
    if let trainingSeeds { words.append("--training-seeds \(trainingSeeds)") }
    if let steps { words.append("--steps \(steps)") }
    return words.joined(separator: " ")
  }

  func run() throws {
    let definition = definition()
    let execution = try options.execute(
      name: definition.name, parts: ["collapse", "training"],
      total: definition.collapseRuns.count + definition.training.runs.count,
      defaultLease: 300, units: { $0 == "collapse" ? "stack" : "run" }
    ) { store, lease, stop, progress in
      try definition.run(
        store: store, sweep: definition.name, jobs: options.jobs, lease: lease, stop: stop,
        progress: progress)
    }
    let report = AttentionReport(
      summary: execution.summary, seconds: execution.seconds, command: commandLine)
    print(renderTable(header: AttentionReport.header, rows: report.rows))
    for sentence in execution.summary.verdicts() { print("• \(sentence)") }
    let trained = AttentionTrainingReport(summary: execution.summary.training).table()
    let text = trained.textTable(layout: .groupsAsColumns, corner: "task: metric")
    print(renderTable(header: text.header, rows: text.rows))
    for sentence in execution.summary.training.verdicts() { print("• \(sentence)") }
    try execution.finish(report: report.html())
  }
}

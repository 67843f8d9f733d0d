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
      "Rank collapse at initialisation: token rank against depth for pure attention, with residuals, MLPs, LayerNorm and the full pre-LN block; writes runs/<name>/report.html.",
    discussion: """
      Stacks of 32 freshly drawn blocks (width 64, 4 heads, 32 Gaussian tokens, 10 seeds per \
      architecture, double precision); --quick: depth 16, width 32, 16 tokens, 5 seeds. The \
      relative residual ‖X − 1x̄ᵀ‖/‖X‖ and the effective rank after every block. Runs go \
      through a results store (kind rank-collapse): the same command resumes. The trained \
      transformers of the protocol are not built yet.
      """)

  @Flag(help: "The quick protocol (seconds).")
  var quick = false

  @Option(help: "Seeds per architecture (default 10; quick 5).")
  var seeds: Int?

  @Option(help: "Blocks in each stack (default 32; quick 16).")
  var depth: Int?

  @OptionGroup var options: ProtocolRunOptions

  func validate() throws {
    try checkCount(seeds, "--seeds", 1...1000)
    try checkCount(depth, "--depth", 1...1024)
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
    return definition
  }

  var commandLine: String {
    var words = ["crit run attention"]
    if quick { words.append("--quick") }
    if let seeds { words.append("--seeds \(seeds)") }
    if let depth { words.append("--depth \(depth)") }
    return words.joined(separator: " ")
  }

  func run() throws {
    let definition = definition()
    let execution = try options.execute(
      name: definition.name, parts: ["collapse"], total: definition.collapseRuns.count,
      defaultLease: 60, units: { _ in "stack" }
    ) { store, lease, stop, progress in
      try definition.run(
        store: store, sweep: definition.name, jobs: options.jobs, lease: lease, stop: stop,
        progress: progress)
    }
    let report = AttentionReport(
      summary: execution.summary, seconds: execution.seconds, command: commandLine)
    print(renderTable(header: AttentionReport.header, rows: report.rows))
    for sentence in execution.summary.verdicts() { print("• \(sentence)") }
    try execution.finish(report: report.html())
  }
}

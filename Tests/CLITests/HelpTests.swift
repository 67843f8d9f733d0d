import ArgumentParser
import CritCLI
import Foundation
import Testing

/// Runs the built `crit` executable (what users run) and returns its exit status, standard
/// output and standard error.
/// `environment`, when given, replaces ``critEnvironment()``.
func runShippedCrit(_ arguments: [String], environment: [String: String]? = nil) throws -> (
  status: Int32, output: String, errors: String
) {
  let executable = try #require(critExecutable(), "crit executable not found")
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.environment = environment ?? critEnvironment()
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  // Read both pipes before waiting, so a long help text cannot fill a pipe and block.
  let out = output.fileHandleForReading.readDataToEndOfFile()
  let err = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: out, as: UTF8.self),
    String(decoding: err, as: UTF8.self)
  )
}

/// Every command path of the command tree (`[]` for `crit` itself, `["run", "asisr"]`, …), so
/// a new command is covered without touching this test.
func commandPaths(_ command: ParsableCommand.Type, prefix: [String] = []) -> [[String]] {
  [prefix]
    + command.configuration.subcommands.flatMap { sub in
      commandPaths(sub, prefix: prefix + [sub._commandName])
    }
}

/// `crit --help`, `crit SUB --help` and `crit help SUB` for every command of the tree: the
/// shipped binary exits 0 with a usage text on standard output and nothing on standard error.
@Test func everyCommandPrintsHelpFromTheShippedBinary() throws {
  let paths = commandPaths(Crit.self)
  #expect(paths.count > 10, "\(paths)")
  for path in paths {
    for arguments in [path + ["--help"], path + ["-h"]] + (path.isEmpty ? [] : [["help"] + path]) {
      let (status, output, errors) = try runShippedCrit(arguments)
      #expect(status == 0, "crit \(arguments.joined(separator: " ")): exit \(status), \(errors)")
      #expect(output.contains("USAGE: crit"), "crit \(arguments.joined(separator: " ")): \(output)")
      #expect(errors.isEmpty, "crit \(arguments.joined(separator: " ")): \(errors)")
      if let name = path.last {
        #expect(output.contains(name), "crit \(arguments.joined(separator: " ")): \(output)")
      }
    }
  }
}

/// `crit --version` prints the version; completion scripts come out for bash, zsh and fish;
/// an unknown shell is a one-line error with exit status 2.
@Test func versionAndCompletionScriptsFromTheShippedBinary() throws {
  let version = try runShippedCrit(["--version"])
  #expect(version.status == 0)
  #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines) == Crit.version)
  let markers = ["bash": "complete -", "zsh": "#compdef crit", "fish": "complete -c 'crit'"]
  for (shell, marker) in markers {
    let script = try runShippedCrit(["--generate-completion-script", shell])
    #expect(script.status == 0, "\(shell): \(script.errors)")
    #expect(script.output.contains(marker), "\(shell)")
    // Every top-level command is offered.
    for sub in Crit.configuration.subcommands {
      #expect(script.output.contains(sub._commandName), "\(shell): \(sub._commandName)")
    }
  }
  let bad = try runShippedCrit(["--generate-completion-script", "tcsh"])
  #expect(bad.status == 2)
  #expect(bad.errors.hasPrefix("crit: error: ") && bad.errors.split(separator: "\n").count == 1)
}

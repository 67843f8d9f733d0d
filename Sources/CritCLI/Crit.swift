import ArgumentParser
import Experiments
import Foundation
import Sweeps

/// The `crit` command: train small networks and measure how close they are to criticality.
public struct Crit: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "crit",
    abstract: "Train neural networks on CPU and study them near the edge of chaos.",
    version: Crit.version,
    subcommands: [
      DemoCommand.self, TrainCommand.self, SweepCommand.self, ReportCommand.self,
      ExportCommand.self, RunCommand.self, TheoryCommand.self, AnalyzeCommand.self,
      SeriesCommand.self, BoxCountCommand.self, ReservoirReplayCommand.self,
      BenchCommand.self,
    ])

  /// The version `crit --version` prints.
  public static let version = "0.15.0"

  public init() {}

  /// Runs `crit` with `arguments` (the process's own when `nil`) and returns the exit
  /// status: 0 on success, 2 for bad input (an unknown name, a value out of range, a missing
  /// or malformed data file) with a one-line message on standard error, 1 for other failures.
  public static func run(
    _ arguments: [String]? = nil, errorOutput: (String) -> Void = writeToStandardError
  ) -> Int32 {
    func printError(_ message: String) {
      let line = message.split(separator: "\n").first.map(String.init) ?? message
      errorOutput("crit: error: \(line)")
    }
    Allocator.configureForNumericalWork()
    // One BLAS thread unless a command asks for more (and the machine reproduces it).
    LinearAlgebraThreads.set(1)
    var command: ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      if exitCode(for: error) == .success {
        print(fullMessage(for: error))
        return 0
      }
      printError(oneLine(message(for: error)))
      return 2
    }
    do {
      try command.run()
      return 0
    } catch let error as ConfigurationError {
      printError(ConfigurationKeys.message(error))
      return 2
    } catch let error as DataError {
      printError(ConfigurationKeys.translate(error.description))
      return 2
    } catch let error as ValidationError {
      printError(error.message)
      return 2
    } catch let error as InterruptedDemo {
      printError(error.description)
      return 130
    } catch let error as InterruptedSweep {
      printError(error.description)
      return 130
    } catch let error as ConfigurationFileError {
      printError(error.description)
      return 2
    } catch let error as SpectrumError {
      printError(error.description)
      return 2
    } catch let error as SafeTensorsError {
      printError(error.description)
      return 2
    } catch let error as MemoryBudgetError {
      printError(error.description)
      return 2
    } catch  where exitCode(for: error) == .success {
      // The parser's built-in requests that run as commands (`crit help SUB`, and `--help`
      // after a subcommand's name) end here with their text: print it, exit 0.
      print(fullMessage(for: error))
      return 0
    } catch {
      printError(oneLine(message(for: error)))
      return 1
    }
  }

  /// Folds the parser's multi-line messages into one line: a bulleted list of allowed values
  /// ("Please provide one of the following:\n  - relu\n  - tanh") becomes "…: relu, tanh".
  static func oneLine(_ message: String) -> String {
    let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    guard let first = lines.first else { return message }
    let items = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    return items.isEmpty ? first : first + " " + items.joined(separator: ", ")
  }

  /// Writes one line to standard error.
  public static func writeToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}

import Foundation
import Testing

/// The package's own sources, found from this file's path.
func packageSources() throws -> [(path: String, text: String)] {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
  let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
  var files: [(String, String)] = []
  for case let relative as String in enumerator where relative.hasSuffix(".swift") {
    files.append(
      (relative, try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)))
  }
  return files
}

/// One parallel loop: `concurrentPerform` is called in the runner only, and no library module
/// sets the BLAS thread count or the allocator (the commands choose them once).
@Test func parallelLoopsAndProcessSettingsLiveInOnePlace() throws {
  let files = try packageSources()
  #expect(files.count > 50)
  for (path, text) in files {
    if text.contains("concurrentPerform(") {
      #expect(path == "Runner/ParallelMap.swift", "\(path) runs its own parallel loop")
    }
    let library = !path.hasPrefix("CritCLI/") && !path.hasPrefix("Tensors/")
    if library {
      #expect(!text.contains("LinearAlgebraThreads.set"), "\(path) sets the BLAS threads")
      #expect(!text.contains("configureForNumericalWork"), "\(path) sets the allocator")
    }
  }
}

/// Thin commands: no file of the command-line module is over 200 lines (domain code lives in
/// the library modules), and no library module speaks the command line's ArgumentParser.
@Test func commandFilesStayThin() throws {
  for (path, text) in try packageSources() {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    if path.hasPrefix("CritCLI/") {
      #expect(lines <= 200, "\(path) has \(lines) lines")
    } else {
      #expect(!text.contains("import ArgumentParser"), "\(path) imports ArgumentParser")
    }
  }
}

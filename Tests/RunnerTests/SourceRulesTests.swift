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

import CritCLI
import Foundation
import Sweeps
import Testing

/// A zoom series' frames are runs in its store and its frame files a cache of them: with the
/// files deleted, a rerun computes nothing (every frame is reused from the store) and writes
/// byte-identical `.npy` files again; the store holds each frame as its tiles, every one
/// completed once.
@Test func trainabilityFramesComeBackFromTheStore() throws {
  let root = temporaryPath("store-cache")
  let arguments = [
    "run", "trainability", "--resolution", "24", "--steps", "50", "--zoom", "2", "--zoom-to",
    "0.5", "--threads", "2", "--tiles", "4", "--runs", root, "--name", "cached",
  ]
  let first = try runConcurrently([arguments])
  try #require(first.first?.status == 0, "\(first)")
  let directory = "\(root)/cached"
  let frames = try (0..<2).map {
    try Data(contentsOf: URL(fileURLWithPath: "\(directory)/frame-\($0).npy"))
  }
  for k in 0..<2 {
    for ext in ["npy", "png", "json"] {
      try FileManager.default.removeItem(atPath: "\(directory)/frame-\(k).\(ext)")
    }
  }
  let second = try runConcurrently([arguments])
  try #require(second.first?.status == 0, "\(second)")
  #expect(second[0].output.components(separatedBy: "reused from an earlier run").count == 3)
  for k in 0..<2 {
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: "\(directory)/frame-\(k).npy")) == frames[k])
  }
  let store = try SQLiteStore(path: "\(directory)/store.sqlite")
  for k in 0..<2 {
    let tiles = try store.runs(sweep: "cached/frame-\(k)")
    #expect(tiles.count == 4)
    #expect(tiles.allSatisfy { $0.status == .completed && $0.attempts == 1 })
    #expect(tiles.map { $0.values["pixels"] } == [144, 144, 144, 144])
  }
}

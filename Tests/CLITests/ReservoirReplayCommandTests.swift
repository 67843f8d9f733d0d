import Data
import Foundation
import Testing

/// `crit reservoir` from files: the states it writes equal the recurrence written out here
/// (tanh, W as given, leak 0.5, a bias), and a linear reservoir of N units has total memory
/// capacity N (SPEC §10: for i.i.d. input Σ_k MC_k = N in the limit of long runs). Delays
/// 0…60 hold all of it (Σ_{k≤60} MC_k = 10 − 2·10⁻¹¹ for this W and W_in, computed from the
/// covariances); a readout fitted on 40 000 steps loses about N/T of each MC_k to estimation
/// error (≈ 61·10/40 000 = 0.015 in all), and the 19 000 test steps leave each MC_k a
/// standard error below 0.01 that partly cancels over the sum: 1 % (0.1) bounds both.
@Test func reservoirReplayFromFiles() throws {
  let n = 10
  var state: UInt64 = 5
  func uniform() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53) * 2 - 1
  }
  // W = 0.8·(cyclic shift): spectral radius 0.8, and with generic W_in the states' Krylov
  // directions W^k W_in are well conditioned, so every one of the N dimensions holds memory.
  let w = (0..<(n * n)).map { k in k / n == (k % n + 1) % n ? 0.8 : 0.0 }
  let wIn = (0..<n).map { _ in uniform() }
  let bias = (0..<n).map { _ in 0.1 * uniform() }
  let steps = 60_000
  let u = (0..<steps).map { _ in uniform() }
  let directory = temporaryPath("replay")
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  func path(_ name: String) -> String { directory + "/" + name }
  try writeNPY(w, shape: [n, n], to: path("W.npy"))
  try writeNPY(wIn, shape: [n, 1], to: path("Win.npy"))
  try writeNPY(bias, shape: [n], to: path("b.npy"))
  try writeNPY(u, shape: [steps], to: path("u.npy"))
  let run = try runShippedCrit([
    "reservoir", "--weights", path("W.npy"), "--input-weights", path("Win.npy"), "--inputs",
    path("u.npy"), "--bias", path("b.npy"), "--leak-rate", "0.5", "--states", path("x.npy"),
  ])
  #expect(run.status == 0, "\(run.errors)")
  let states = try NPYArray.read(path: path("x.npy"))
  #expect(states.shape == [steps, n])
  var x = [Double](repeating: 0, count: n)
  var worst = 0.0
  for t in 0..<200 {
    let previous = x
    for i in 0..<n {
      var pre = wIn[i] * u[t] + bias[i]
      for j in 0..<n { pre += w[i * n + j] * previous[j] }
      x[i] = 0.5 * previous[i] + 0.5 * Foundation.tanh(pre)
      worst = max(worst, abs(x[i] - states.values[t * n + i]))
    }
  }
  // Same recurrence summed in another order, tanh within 3 ulp; the reservoir contracts.
  #expect(worst < 1e-12, "largest difference \(worst)")

  let linear = try runShippedCrit([
    "reservoir", "--weights", path("W.npy"), "--input-weights", path("Win.npy"), "--inputs",
    path("u.npy"), "--activation", "identity", "--washout", "1000", "--train", "40000",
    "--max-delay", "60", "--json", path("mc.json"),
  ])
  #expect(linear.status == 0, "\(linear.errors)")
  let result =
    try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: path("mc.json")))) as! [String: Any]
  let total = try #require(result["totalMemoryCapacity"] as? Double)
  #expect(abs(total - Double(n)) < 0.01 * Double(n), "Σ MC_k = \(total)")
}

/// Shapes that do not fit each other are refused with exit status 2 and one line naming them.
@Test func reservoirReplayRefusesMismatchedFiles() throws {
  let directory = temporaryPath("replay-bad")
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  try writeNPY([1, 2, 3, 4, 5, 6], shape: [2, 3], to: directory + "/W.npy")
  try writeNPY([1, 2], shape: [2], to: directory + "/Win.npy")
  try writeNPY([1, 2, 3], shape: [3], to: directory + "/u.npy")
  let run = try runShippedCrit([
    "reservoir", "--weights", directory + "/W.npy", "--input-weights", directory + "/Win.npy",
    "--inputs", directory + "/u.npy",
  ])
  #expect(run.status == 2)
  #expect(run.errors.contains("square") && run.errors.split(separator: "\n").count == 1)
}

import Dispatch
import Foundation
import NN

/// Trains a family of copies of one ``TrainabilityProblem`` network at once, one pair of
/// learning rates (η₀, η₁) per member (one pixel of a trainability image each), by full-batch
/// gradient descent.
///
/// Layout: every array is member-minor (`[…][member]`), so each step is a handful of loops
/// whose innermost index runs over the members with unit stride — the data X, Y are shared and
/// broadcast as scalars, and the compiler vectorises over members. Each member's arithmetic is
/// done in exactly the order of the straightforward ``trainPixel(_:learningRates:steps:)``
/// (sums over the inner index ascending from 0, the same products), so the two give
/// bit-identical losses; the batched form only changes how many members share a pass.
///
/// Early exit: a member whose loss is non-finite stays non-finite (its weights are then NaN or
/// infinite), so it is dropped from the active set and its remaining normalised losses are
/// taken as non-finite; the measure of ``TrainabilityMeasure`` is computed exactly as if it had
/// been trained to the end.
public struct BatchedTrainability: Sendable {
  public var problem: TrainabilityProblem
  public var steps: Int
  /// Losses averaged at the end for the measure (20 in the paper).
  public var window: Int

  public init(problem: TrainabilityProblem, steps: Int, window: Int = 20) {
    self.problem = problem
    self.steps = steps
    self.window = window
  }

  /// The per-member measures for learning-rate pairs `rates`, on `threads` threads (members
  /// split into contiguous blocks; results do not depend on `threads`). `earlyExit: false`
  /// trains every member for every step. `progress` receives members finished.
  public func measures(
    _ rates: [(Double, Double)], threads: Int = 1, earlyExit: Bool = true,
    progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) -> [Double] {
    let blocks = max(1, min(threads, rates.count))
    let size = (rates.count + blocks - 1) / blocks
    final class Results: @unchecked Sendable {
      let lock = NSLock()
      var values: [Double]
      var done = 0
      init(_ n: Int) { values = Array(repeating: .nan, count: n) }
    }
    let results = Results(rates.count)
    DispatchQueue.concurrentPerform(iterations: blocks) { block in
      let range = (block * size)..<min((block + 1) * size, rates.count)
      guard !range.isEmpty else { return }
      let block = self.trainBlock(Array(rates[range]), earlyExit: earlyExit)
      results.lock.withLock {
        for (k, i) in range.enumerated() { results.values[i] = block[k] }
        results.done += range.count
        progress(results.done)
      }
    }
    return results.values
  }

  /// Trains one block of members in a single pass; returns their measures.
  func trainBlock(_ rates: [(Double, Double)], earlyExit: Bool) -> [Double] {
    let p = problem
    let (d, n, count) = (p.inputs, p.width, p.points)
    let scale = 2.0.squareRoot() / Double(d).squareRoot()
    var members = rates.count
    // Which original member each active column is, and what has been recorded for it.
    var identity = Array(0..<members)
    var eta0 = rates.map(\.0)
    var eta1 = rates.map(\.1)
    var w0 = [Double](repeating: 0, count: d * n * members)
    var w1 = [Double](repeating: 0, count: n * members)
    for k in 0..<(d * n) { for b in 0..<members { w0[k * members + b] = p.w0[k] } }
    for j in 0..<n { for b in 0..<members { w1[j * members + b] = p.w1[j] } }
    let initial = p.loss(w0: p.w0, w1: p.w1)
    // The last `window` normalised losses of every member, as a ring indexed by step.
    let window = min(self.window, steps)
    var tail = [Double](repeating: .nan, count: rates.count * max(window, 1))
    var measures = [Double](repeating: .nan, count: rates.count)

    var pre = [Double](repeating: 0, count: count * n * members)
    var h = pre
    var residual = [Double](repeating: 0, count: count * members)
    var loss = [Double](repeating: 0, count: members)
    var g0 = w0
    var g1 = w1
    let phi = p.activation

    func forward(_ members: Int) {
      for q in 0..<count {
        for j in 0..<n {
          let o = (q * n + j) * members
          for b in 0..<members { pre[o + b] = 0 }
          for i in 0..<d {
            let xv = p.x[q * d + i]
            let wo = (i * n + j) * members
            for b in 0..<members { pre[o + b] += xv * w0[wo + b] }
          }
          for b in 0..<members {
            pre[o + b] = scale * pre[o + b]
            h[o + b] = phi.value(pre[o + b])
          }
        }
      }
      for b in 0..<members { loss[b] = 0 }
      for q in 0..<count {
        let o = q * members
        for b in 0..<members { residual[o + b] = 0 }
        for j in 0..<n {
          let ho = (q * n + j) * members
          let wo = j * members
          for b in 0..<members { residual[o + b] += h[ho + b] * w1[wo + b] }
        }
        for b in 0..<members {
          residual[o + b] = residual[o + b] / Double(n) - p.y[q]
          loss[b] += residual[o + b] * residual[o + b]
        }
      }
      for b in 0..<members { loss[b] /= Double(count) }
    }

    var da = [Double](repeating: 0, count: members)
    func backward(_ members: Int) {
      for k in 0..<(n * members) { g1[k] = 0 }
      for k in 0..<(d * n * members) { g0[k] = 0 }
      for q in 0..<count {
        for j in 0..<n {
          let o = (q * n + j) * members
          for b in 0..<members {
            let dy = 2 * residual[q * members + b] / Double(count)
            g1[j * members + b] += h[o + b] * dy / Double(n)
            da[b] = dy * w1[j * members + b] / Double(n) * phi.derivative(pre[o + b])
          }
          for i in 0..<d {
            let sx = scale * p.x[q * d + i]
            let go = (i * n + j) * members
            for b in 0..<members { g0[go + b] += sx * da[b] }
          }
        }
      }
    }

    // Initial forward pass (gradients at the initial weights).
    forward(members)
    for step in 0..<steps {
      backward(members)
      for k in 0..<(d * n) {
        for b in 0..<members { w0[k * members + b] -= eta0[b] * g0[k * members + b] }
      }
      for j in 0..<n {
        for b in 0..<members { w1[j * members + b] -= eta1[b] * g1[j * members + b] }
      }
      forward(members)
      var keep: [Int] = []
      for b in 0..<members {
        let value = loss[b] / initial
        let member = identity[b]
        if window > 0 && step >= steps - window { tail[member * window + step % window] = value }
        // A NaN loss is permanent (NaN reaches every weight at the next update and every
        // later loss), so the member's remaining losses are known: non-finite.
        if earlyExit && value.isNaN {
          for later in (step + 1)..<steps where later >= steps - window {
            tail[member * window + later % window] = .nan
          }
          measures[member] = Self.measure(tail, member: member, window: window, steps: steps)
        } else {
          keep.append(b)
        }
      }
      if keep.count < members {
        let m = keep.count
        func gather(_ a: [Double], rows: Int) -> [Double] {
          var out = [Double](repeating: 0, count: rows * m)
          for r in 0..<rows {
            for (c, b) in keep.enumerated() { out[r * m + c] = a[r * members + b] }
          }
          return out
        }
        w0 = gather(w0, rows: d * n)
        w1 = gather(w1, rows: n)
        pre = gather(pre, rows: count * n)
        h = gather(h, rows: count * n)
        residual = gather(residual, rows: count)
        eta0 = keep.map { eta0[$0] }
        eta1 = keep.map { eta1[$0] }
        identity = keep.map { identity[$0] }
        members = m
        if members == 0 { break }
        loss = [Double](repeating: 0, count: members)
        g0 = [Double](repeating: 0, count: d * n * members)
        g1 = [Double](repeating: 0, count: n * members)
        da = [Double](repeating: 0, count: members)
      }
    }
    for b in 0..<members {
      measures[identity[b]] = Self.measure(tail, member: identity[b], window: window, steps: steps)
    }
    return measures
  }

  /// The measure from a member's ring of its last `window` normalised losses, read in time
  /// order (so that the mean sums them in the order the straightforward trainer does).
  static func measure(_ tail: [Double], member: Int, window: Int, steps: Int) -> Double {
    let ordered = (0..<window).map { k in tail[member * window + (steps + k) % window] }
    return TrainabilityMeasure.measure(normalizedLosses: ordered, window: window)
  }
}

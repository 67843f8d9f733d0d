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
    let total = rates.count
    var members = total
    // Which original member each active column is.
    var identity = Array(0..<members)
    // Member-minor working buffers, allocated once for every member; after members leave,
    // the survivors are packed to the front with the smaller stride.
    func buffer(_ rows: Int) -> UnsafeMutablePointer<Double> {
      let b = UnsafeMutablePointer<Double>.allocate(capacity: max(rows * total, 1))
      b.initialize(repeating: 0, count: max(rows * total, 1))
      return b
    }
    let w0 = buffer(d * n)
    let w1 = buffer(n)
    let g0 = buffer(d * n)
    let g1 = buffer(n)
    let pre = buffer(count * n)
    let h = buffer(count * n)
    let dphi = buffer(count * n)
    let residual = buffer(count)
    let loss = buffer(1)
    let da = buffer(1)
    let eta0 = buffer(1)
    let eta1 = buffer(1)
    let all = [w0, w1, g0, g1, pre, h, dphi, residual, loss, da, eta0, eta1]
    defer { for b in all { b.deallocate() } }
    for (b, rate) in rates.enumerated() {
      eta0[b] = rate.0
      eta1[b] = rate.1
    }
    for k in 0..<(d * n) { for b in 0..<members { w0[k * members + b] = p.w0[k] } }
    for j in 0..<n { for b in 0..<members { w1[j * members + b] = p.w1[j] } }
    let initial = p.loss(w0: p.w0, w1: p.w1)
    // The last `window` normalised losses of every member, as a ring indexed by step.
    let window = min(self.window, steps)
    var tail = [Double](repeating: .nan, count: total * max(window, 1))
    var measures = [Double](repeating: .nan, count: total)
    let phi = p.activation
    let x = p.x
    let y = p.y
    let nD = Double(n)
    let countD = Double(count)

    // Forward pass of every active member: pre-activations, φ, φ′, residuals and losses, with
    // each member's sums in the straightforward trainer's order.
    func forward(_ m: Int) {
      for q in 0..<count {
        for j in 0..<n {
          let o = (q * n + j) * m
          (pre + o).update(repeating: 0, count: m)
          for i in 0..<d { memberAccumulate(pre + o, w0 + (i * n + j) * m, times: x[q * d + i], m) }
          switch phi {
          case .tanh:
            for b in 0..<m {
              let a = scale * pre[o + b]
              pre[o + b] = a
              let t = Double.tanh(a)
              h[o + b] = t
              dphi[o + b] = 1 - t * t
            }
          case .relu:
            for b in 0..<m {
              let a = scale * pre[o + b]
              pre[o + b] = a
              h[o + b] = a > 0 ? a : 0
              dphi[o + b] = a > 0 ? 1 : 0
            }
          case .identity:
            for b in 0..<m {
              let a = scale * pre[o + b]
              pre[o + b] = a
              h[o + b] = a
              dphi[o + b] = 1
            }
          default:
            for b in 0..<m {
              let a = scale * pre[o + b]
              pre[o + b] = a
              h[o + b] = phi.value(a)
              dphi[o + b] = phi.derivative(a)
            }
          }
        }
      }
      for b in 0..<m { loss[b] = 0 }
      for q in 0..<count {
        let o = q * m
        (residual + o).update(repeating: 0, count: m)
        for j in 0..<n { memberAccumulateProduct(residual + o, h + (q * n + j) * m, w1 + j * m, m) }
        let target = y[q]
        for b in 0..<m {
          let r = residual[o + b] / nD - target
          residual[o + b] = r
          loss[b] += r * r
        }
      }
      for b in 0..<m { loss[b] /= countD }
    }

    // Gradients of every active member, accumulated over the points in ascending order.
    func backward(_ m: Int) {
      g1.update(repeating: 0, count: n * m)
      g0.update(repeating: 0, count: d * n * m)
      for q in 0..<count {
        for j in 0..<n {
          let o = (q * n + j) * m
          let w1o = j * m
          for b in 0..<m {
            let dy = 2 * residual[q * m + b] / countD
            g1[w1o + b] += h[o + b] * dy / nD
            da[b] = dy * w1[w1o + b] / nD * dphi[o + b]
          }
          for i in 0..<d {
            memberAccumulate(g0 + (i * n + j) * m, da, times: scale * x[q * d + i], m)
          }
        }
      }
    }

    // Packs the member columns `keep` (ascending) to the front of each buffer, in place: every
    // write lands at or before the element it copies, and rows are walked in order.
    func pack(_ keep: [Int], from m: Int) {
      let k = keep.count
      for (pointer, rows) in [
        (w0, d * n), (w1, n), (pre, count * n), (h, count * n), (dphi, count * n),
        (residual, count), (eta0, 1), (eta1, 1),
      ] {
        for r in 0..<rows {
          for (c, b) in keep.enumerated() { pointer[r * k + c] = pointer[r * m + b] }
        }
      }
      identity = keep.map { identity[$0] }
    }

    forward(members)
    for step in 0..<steps {
      backward(members)
      for k in 0..<(d * n) { memberDescend(w0 + k * members, eta0, g0 + k * members, members) }
      for j in 0..<n { memberDescend(w1 + j * members, eta1, g1 + j * members, members) }
      forward(members)
      var keep: [Int] = []
      keep.reserveCapacity(members)
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
        pack(keep, from: members)
        members = keep.count
        if members == 0 { break }
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

// Member loops as free functions: their pointer arguments are loop invariants the compiler
// can see, so each loop is vectorised over the members (with the same multiplications and
// additions per member as a scalar loop: no fused multiply–add is formed).

/// `y[b] += a · x[b]` for b < m.
@inline(__always)
func memberAccumulate(
  _ y: UnsafeMutablePointer<Double>, _ x: UnsafePointer<Double>, times a: Double, _ m: Int
) {
  for b in 0..<m { y[b] += a * x[b] }
}

/// `y[b] += u[b] · v[b]` for b < m.
@inline(__always)
func memberAccumulateProduct(
  _ y: UnsafeMutablePointer<Double>, _ u: UnsafePointer<Double>, _ v: UnsafePointer<Double>,
  _ m: Int
) {
  for b in 0..<m { y[b] += u[b] * v[b] }
}

/// `w[b] −= η[b] · g[b]` for b < m.
@inline(__always)
func memberDescend(
  _ w: UnsafeMutablePointer<Double>, _ eta: UnsafePointer<Double>, _ g: UnsafePointer<Double>,
  _ m: Int
) {
  for b in 0..<m { w[b] -= eta[b] * g[b] }
}

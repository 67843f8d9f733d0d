import Indicators
import RealModule
import Testing

/// A seeded series with structure (a random walk plus a sine), so that windows differ.
private func testSeries(_ n: Int) -> [Double] {
  var state: UInt64 = 0x2545_F491_4F6C_DD1D
  var walk = 0.0
  return (0..<n).map { i in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    walk += Double(state >> 11) / Double(1 << 53) - 0.5
    return walk + 0.3 * (Double(i) * 0.05).squareRoot()
  }
}

/// F(n) written out: each window's least-squares line by its normal equations on the indices
/// 0…n−1, the squared residuals summed over all windows of the scheme, divided by the points.
private func fluctuationWrittenOut(_ x: [Double], _ s: Int, _ starts: [Int]) -> Double {
  let mean = x.reduce(0, +) / Double(x.count)
  var profile: [Double] = []
  var running = 0.0
  for v in x {
    running += v - mean
    profile.append(running)
  }
  var squares = 0.0
  for start in starts {
    let t = (0..<s).map(Double.init)
    let y = Array(profile[start..<(start + s)])
    let (st, sy) = (t.reduce(0, +), y.reduce(0, +))
    let stt = t.reduce(0) { $0 + $1 * $1 }
    let sty = zip(t, y).reduce(0) { $0 + $1.0 * $1.1 }
    let slope = (Double(s) * sty - st * sy) / (Double(s) * stt - st * st)
    let intercept = (sy - slope * st) / Double(s)
    for (ti, yi) in zip(t, y) {
      squares += (yi - intercept - slope * ti) * (yi - intercept - slope * ti)
    }
  }
  return (squares / Double(starts.count * s)).squareRoot()
}

/// Each window scheme of DFA against the sum written out, with the windows listed by hand:
/// from the start (nolds' overlap=False), from both ends, and every ⌊n/2⌋ points while a window
/// fits before the last point (nolds' default). The closed-form line and the normal equations
/// round differently: 10⁻⁹ relative is far above that and far below a missing window (a few %).
@Test func detrendedFluctuationWindowSchemes() {
  let x = testSeries(1001)
  let n = x.count
  for s in [4, 9, 16, 50, 250] {
    let forward = (0..<(n / s)).map { $0 * s }
    let backward = (0..<(n / s)).map { n - ($0 + 1) * s }
    let overlapping = Array(stride(from: 0, to: n - s, by: s / 2))
    for (scheme, starts) in [
      (FluctuationWindows.fromStart, forward), (.bothEnds, forward + backward),
      (.halfOverlapping, overlapping),
    ] {
      let computed = detrendedFluctuations(x, scales: [s], windows: scheme)[0]
      let expected = fluctuationWrittenOut(x, s, starts)
      #expect(abs(computed - expected) <= 1e-9 * expected, "\(scheme) n = \(s)")
    }
  }
  // The default exponent uses both ends.
  let both = detrendedFluctuationExponent(x)!
  let start = detrendedFluctuationExponent(x, windows: .fromStart)!
  #expect(both.scales == start.scales && both.exponent != start.exponent)
}

/// Mean R/S per window size as nolds' `rs(data, n, unbiased=False)` computes it: windows from
/// the start, the range of the cumulative deviations (without a leading zero; the last one is
/// zero up to rounding, so both ranges agree), S with divisor n.
@Test func rescaledRangesAsWrittenOut() {
  let x = testSeries(777)
  for s in [4, 16, 100, 388] {
    var total = 0.0
    let windows = x.count / s
    for w in 0..<windows {
      let chunk = Array(x[(w * s)..<((w + 1) * s)])
      let mean = chunk.reduce(0, +) / Double(s)
      var cumulative: [Double] = []
      var running = 0.0
      for v in chunk {
        running += v - mean
        cumulative.append(running)
      }
      let r = cumulative.max()! - cumulative.min()!
      let sd = (chunk.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(s)).squareRoot()
      total += r / sd
    }
    let expected = total / Double(windows)
    let computed = rescaledRanges(x, scales: [s])[0]!
    #expect(abs(computed - expected) <= 1e-12 * expected, "n = \(s)")
  }
  #expect(rescaledRanges([Double](repeating: 2, count: 64), scales: [8]) == [nil])
}

/// porespy's sizes (numpy `unique(logspace(1, log10(min side), 10).astype(int))`, printed by
/// NumPy 2.4 for sides 256, 100 and 1000) and NumPy's `gradient` on uneven spacing (its values
/// for counts 50, 30, 21, 14 at sizes 10, 14, 20, 29).
@Test func tiledBoxCountFollowsPorespy() {
  let blank = [Bool](repeating: false, count: 256 * 300)
  #expect(
    TiledBoxCount(mask: blank, width: 300, height: 256).sizes == [
      10, 14, 20, 29, 42, 60, 86, 124, 178, 256,
    ])
  #expect(
    TiledBoxCount(mask: [Bool](repeating: false, count: 100 * 100), width: 100, height: 100).sizes
      == [10, 12, 16, 21, 27, 35, 46, 59, 77, 100])
  #expect(
    TiledBoxCount(mask: [Bool](repeating: false, count: 1000 * 1000), width: 1000, height: 1000)
      .sizes == [10, 16, 27, 46, 77, 129, 215, 359, 599, 1000])
  let slopes = TiledBoxCount.localSlopes(
    [10, 14, 20, 29].map { Double.log(Double($0)) }, [50.0, 30, 21, 14].map { Double.log($0) })
  let numpy = [1.5181806050198974, 1.2666418380239328, 1.0446874354173543, 1.0912402497198121]
  for (a, b) in zip(slopes, numpy) { #expect(abs(a - b) < 1e-13) }
}

/// A straight boundary between two half-planes: the edge image is one line of cells, tiles
/// holding both phases number ⌈h/d⌉ (the tiles along the line), and the local slopes of a
/// line are 1 up to the rounding of ⌈h/d⌉ (within 0.1 at these sizes); a filled image has no
/// tile holding both phases.
@Test func tiledBoxCountOfALine() {
  let (w, h) = (301, 257)
  let classes = (0..<(w * h)).map { $0 % w < 150 }
  let edges = cellEdges(classes, width: w, height: h)
  #expect(edges.filter { $0 }.count == h - 1)
  let count = TiledBoxCount(mask: edges, width: w - 1, height: h - 1)
  for (d, n) in zip(count.sizes, count.counts) { #expect(n == (h - 1 + d - 1) / d, "d = \(d)") }
  #expect(abs(count.medianSlope - 1) < 0.1, "\(count.slopes)")
  let full = TiledBoxCount(mask: [Bool](repeating: true, count: 64 * 64), width: 64, height: 64)
  #expect(full.counts.allSatisfy { $0 == 0 })
}

/// On a rectangle the boxes run over both sides: a pixel-exact Sierpiński triangle of 128²
/// in the left half of a 256 × 128 image has exactly 3^(7−k) boxes of 2^k, so the slope is
/// log 3/log 2 to rounding.
@Test func boxCountingOnARectangle() {
  let (w, h) = (256, 128)
  let mask = (0..<(w * h)).map { k -> Bool in
    let (row, column) = k.quotientAndRemainder(dividingBy: w)
    return column < 128 && (row & column) == 0
  }
  let fit = boxCountingDimension(mask: mask, width: w, height: h)
  #expect(fit.sizes == [2, 4, 8, 16, 32])
  #expect(fit.counts == [729, 243, 81, 27, 9])
  #expect(abs(fit.dimension - Double.log(3) / Double.log(2)) < 1e-12)
}

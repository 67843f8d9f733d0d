/// The sum of `values` in NumPy's order (`np.sum` of a contiguous float64 array): below 8
/// values one after another; up to 128 in eight interleaved partial sums combined as
/// `((r₀+r₁)+(r₂+r₃))+((r₄+r₅)+(r₆+r₇))` with the remainder added in turn; above that the two
/// halves (the first rounded down to a multiple of 8) summed recursively. Reproducing the order
/// makes results that compare sums (fits that pick a minimum) agree with NumPy-based tools to
/// the last bit more often, and the rounding error grows as O(log n) rather than O(n).
public func pairwiseSum(_ values: [Double]) -> Double {
  values.withUnsafeBufferPointer { pairwiseSum($0[...]) }
}

func pairwiseSum(_ v: Slice<UnsafeBufferPointer<Double>>) -> Double {
  let n = v.count
  let base = v.startIndex
  if n < 8 {
    var sum = -0.0
    for i in 0..<n { sum += v[base + i] }
    return sum
  }
  if n <= 128 {
    var r = (0..<8).map { v[base + $0] }
    var i = 8
    while i < n - n % 8 {
      for k in 0..<8 { r[k] += v[base + i + k] }
      i += 8
    }
    var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n {
      sum += v[base + i]
      i += 1
    }
    return sum
  }
  var half = n / 2
  half -= half % 8
  return pairwiseSum(v[base..<(base + half)]) + pairwiseSum(v[(base + half)..<(base + n)])
}

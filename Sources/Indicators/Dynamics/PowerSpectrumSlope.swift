import Foundation
import Spectral
import Tensors

/// The slope β of the power spectrum `P(f) ∝ f^β` of a series (β ≈ 0 white noise, −1 "1/f"
/// noise, −2 a random walk; fractional Gaussian noise has β = 1 − 2H): the series' mean and
/// linear trend are removed, a Hann window applied, the periodogram computed by FFT (zero
/// padding to a power of two), and the periodogram averaged in log-spaced frequency bins
/// before a least-squares line of log P on log f over the lowest `fraction` of frequencies
/// (default: all up to Nyquist/4, where slopes are scale-free rather than shaped by the
/// window or aliasing).
public func powerSpectrumSlope(_ series: [Double], fraction: Double = 0.25, bins: Int = 30)
  -> ScalingExponent?
{
  let n = series.count
  guard n >= 64 else { return nil }
  // Remove mean and linear trend.
  let meanX = Double(n - 1) / 2
  let meanY = series.reduce(0, +) / Double(n)
  var sxy = 0.0
  var sxx = 0.0
  for i in 0..<n {
    sxy += (Double(i) - meanX) * (series[i] - meanY)
    sxx += (Double(i) - meanX) * (Double(i) - meanX)
  }
  let slope = sxy / sxx
  var size = 1
  while size < n { size <<= 1 }
  var real = [Double](repeating: 0, count: size)
  for i in 0..<n {
    let hann = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n - 1))
    real[i] = (series[i] - meanY - slope * (Double(i) - meanX)) * hann
  }
  var imaginary = [Double](repeating: 0, count: size)
  FourierTransform.transform(real: &real, imaginary: &imaginary)
  let highest = max(2, Int(Double(size / 2) * fraction))
  // Log-spaced bins of frequency indices 1…highest, each averaging its periodogram values.
  let edges = logSpacedScales(from: 1, to: highest, count: bins + 1)
  var xs: [Double] = []
  var ys: [Double] = []
  for b in 0..<(edges.count - 1) {
    let range = edges[b]..<max(edges[b + 1], edges[b] + 1)
    var power = 0.0
    var frequency = 0.0
    for k in range {
      power += real[k] * real[k] + imaginary[k] * imaginary[k]
      frequency += Double(k)
    }
    let count = Double(range.count)
    guard power > 0 else { continue }
    xs.append(log(frequency / count / Double(size)))
    ys.append(log(power / count))
  }
  guard xs.count >= 3 else { return nil }
  let line = leastSquaresLine(x: xs, y: ys)
  return ScalingExponent(
    exponent: line.slope, standardError: line.slopeStandardError, scales: edges)
}

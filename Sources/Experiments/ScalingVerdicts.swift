import Foundation
import Statistics

extension ScalingSummary {
  /// Sentences saying what held and what did not, each from the numbers above it.
  public func verdicts() -> [String] {
    var sentences: [String] = []
    for kernel in Kernel.allCases {
      let c = curves(kernel)
      let worst = zip(definition.samples, c.ratio).max { abs($0.1.mean - 1) < abs($1.1.mean - 1) }
      if let range = bandRange(kernel) {
        var text =
          "\(kernel.rawValue) regression's measured error lies inside the theory's 95 % band for P = \(range.from)…\(range.to)"
        if let leaves = range.leavesAt, let i = definition.samples.firstIndex(of: leaves) {
          text += String(
            format: "; it leaves the band at P = %d (measured/theory %.3f ± %.3f)", leaves,
            c.ratio[i].mean, c.ratio[i].halfWidth)
        } else {
          text += " (the whole grid from 64 on)"
        }
        sentences.append(text + ".")
      } else if !definition.samples.contains(where: { $0 >= 64 }), let worst {
        sentences.append(
          String(
            format:
              "%@: the grid stops below P = 64, where the asymptotic theory is not expected to hold; the largest paired ratio measured/theory is %.3f at P = %d.",
            kernel.rawValue, worst.1.mean, worst.0))
      } else if let worst {
        sentences.append(
          String(
            format:
              "%@ regression's measured error is not inside the theory's band at P = 64; the largest paired ratio measured/theory is %.3f at P = %d.",
            kernel.rawValue, worst.1.mean, worst.0))
      }
    }
    for kernel in Kernel.allCases {
      guard let without = ridgelessCurves(kernel), let last = definition.samples.indices.last
      else { continue }
      let with = curves(kernel)
      var text =
        "\(kernel.rawValue) without ridge (the minimum-norm interpolant against the theory at λ = 0): "
      if let range = bandRange(kernel, ridgeless: true) {
        text += "inside the theory's band for P = \(range.from)…\(range.to)"
        if let leaves = range.leavesAt { text += ", leaving it at P = \(leaves)" }
      } else {
        text += "not inside the theory's band at P = 64"
      }
      text += String(
        format: "; at P = %d its error is %.3g against %.3g with λ = %g (ratio %.3f).",
        definition.samples[last], without.measured[last].mean, with.measured[last].mean,
        definition.ridge, without.measured[last].mean / with.measured[last].mean)
      sentences.append(text)
    }
    let rows = exponentRows
    func row(_ name: String) -> ExponentRow? { rows.first { $0.name == name } }
    if let measured = row("NTK regression"), let theory = row("NTK theory"),
      let predicted = row("NTK min(a − 1, 2b)")
    {
      let overlap = measured.lower <= theory.upper && theory.lower <= measured.upper
      let agreesWithSpectrum =
        measured.lower <= predicted.upper && predicted.lower <= measured.upper
      sentences.append(
        String(
          format:
            "Exponents (NTK): regression β = %.3f [%.3f, %.3f], theory curve β = %.3f [%.3f, %.3f] — %@; the spectrum's min(a − 1, 2b) = %.3f [%.3f, %.3f] %@.",
          measured.exponent, measured.lower, measured.upper, theory.exponent, theory.lower,
          theory.upper, overlap ? "their intervals overlap" : "their intervals do not overlap",
          predicted.exponent, predicted.lower, predicted.upper,
          agreesWithSpectrum
            ? "agrees with the measured β"
            : "does not match the measured β over this P range (the fit of a·P^−β + c sees the whole curve, including where the power law bends)"
        ))
    }
    let overall = widths.map { w -> (Int, Double) in
      let values = w.absoluteDeviation.map(\.mean).filter(\.isFinite)
      return (w.width, values.reduce(0, +) / Double(max(values.count, 1)))
    }
    if overall.count >= 2 {
      let decreasing = zip(overall, overall.dropFirst()).allSatisfy { $0.1 > $1.1 }
      sentences.append(
        "Mean |relative deviation| of the trained networks from NTK regression on the same points, over P: "
          + overall.map { String(format: "width %d: %.3f", $0.0, $0.1) }.joined(separator: ", ")
          + (decreasing
            ? " — finite-width curves approach the kernel curve as the width grows."
            : " — not monotone in the width."))
    }
    for w in widths {
      let (slope, trend) = trend(w)
      let first = w.absoluteDeviation.first!
      let last = w.absoluteDeviation.last!
      sentences.append(
        String(
          format:
            "Width %d: |deviation| %.3f ± %.3f at P = %d and %.3f ± %.3f at P = %d (log–log slope %.2f): it %@ with P.",
          w.width, first.mean, first.halfWidth, definition.networkSamples.first!, last.mean,
          last.halfWidth, definition.networkSamples.last!, slope, trend.rawValue))
    }
    let unconverged = widths.reduce(0) { $0 + $1.unconverged }
    sentences.append(
      unconverged == 0
        ? "Every network converged (gradient norm below \(definition.tolerance) of its initial value)."
        : "\(unconverged) of \(networks.count) networks did not reach the gradient tolerance \(definition.tolerance) within \(definition.maximumSteps) steps; their errors are included."
    )
    return sentences
  }
}

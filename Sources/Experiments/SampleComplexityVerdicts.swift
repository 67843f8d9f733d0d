import Foundation

extension SampleComplexitySummary {
  /// P* as text: the value, "≤ P" or "> P".
  public static func describe(_ crossing: Crossing) -> String {
    switch crossing {
    case .at(let p): return String(format: "%.0f", p)
    case .atOrBelow(let p): return "≤ \(p)"
    case .beyond(let p): return "> \(p)"
    }
  }

  /// An interval end as text (∞ where resamples fell off the grid).
  public static func describeEnd(_ value: Double) -> String {
    if value == .infinity { return "∞" }
    if value == 0 { return "0" }
    return String(format: "%.0f", value)
  }

  /// Plain sentences on what the protocol found, whatever it found.
  public func verdicts() -> [String] {
    var sentences: [String] = []
    let level = definition.levels.first ?? 0.5
    for learner in Learner.allCases {
      let name = learner == .network ? "network's" : "GP's"
      guard let fit = slope(learner, level: level) else {
        let inside = definition.dimensions.filter {
          threshold(learner, dimension: $0, level: level).estimate.value != nil
        }
        sentences.append(
          "The \(name) A reached \(level) inside the P grid at \(inside.count) of \(definition.dimensions.count) dimensions: too few for a slope of P*(d)."
        )
        continue
      }
      let predicted = learner.predictedSlope
      let judgement: String
      if fit.lower <= predicted && predicted <= fit.upper {
        judgement = "consistent with the predicted \(Int(predicted))"
      } else if fit.lower > predicted {
        judgement = "steeper than the predicted \(Int(predicted))"
      } else {
        judgement = "shallower than the predicted \(Int(predicted))"
      }
      let open =
        fit.leftOut > 0
        ? "; \(fit.leftOut) of \(Self.resamples) resamples did not cross at every d and are left out"
        : ""
      sentences.append(
        String(
          format:
            "The %@ P* (A = %.2g) grows like d^%.2f, 95 %% interval [%.2f, %.2f], over d = %@: %@%@.",
          name, level, fit.slope, fit.lower, fit.upper,
          fit.dimensions.map(String.init).joined(separator: ", "), judgement, open))
    }
    var fewer: [Int] = []
    var more: [Int] = []
    for d in definition.dimensions {
      let net = threshold(.network, dimension: d, level: level)
      let gp = threshold(.gaussianProcess, dimension: d, level: level)
      if net.upper < gp.lower { fewer.append(d) }
      if gp.upper < net.lower { more.append(d) }
    }
    if !fewer.isEmpty {
      sentences.append(
        "The network needs fewer samples than its GP (intervals apart) at d = \(fewer.map(String.init).joined(separator: ", "))."
      )
    }
    if !more.isEmpty {
      sentences.append(
        "The GP needs fewer samples than the network (intervals apart) at d = \(more.map(String.init).joined(separator: ", "))."
      )
    }
    if fewer.isEmpty && more.isEmpty {
      sentences.append(
        "At no d are the network's and the GP's P* intervals apart.")
    }
    if let stages {
      let linear = Stages.halving(stages.steps, stages.linearError)
      let cubic = Stages.halving(stages.steps, stages.cubicError)
      let d = definition.mixedDimension
      switch (linear, cubic) {
      case (let l?, let c?) where l < c:
        sentences.append(
          "Mixed target (d = \(d), P = \(definition.mixedRatio * d)): learned in stages, the linear error halves by step \(l), the cubic error by step \(c)."
        )
      case (let l?, let c?):
        sentences.append(
          "Mixed target (d = \(d)): no stages seen, the cubic error halves by step \(c), the linear by step \(l)."
        )
      case (let l?, nil):
        sentences.append(
          "Mixed target (d = \(d)): the linear error halves by step \(l); the cubic error never halves within \(stages.steps.last ?? 0) steps."
        )
      default:
        sentences.append("Mixed target (d = \(d)): the linear error never halves.")
      }
    }
    for d in definition.dimensions {
      let values = alignments(dimension: d)
      guard !values.isEmpty else { continue }
      let aligned = values.filter { $0 > 0.8 }.count
      let runs = Double(definition.seeds)
      sentences.append(
        String(
          format:
            "d = %d, P = %d: %.1f of %d neurons per run are specialised (alignment > 0.8); a random direction's alignment is about %.2f.",
          d, largestNetworkSamples(dimension: d) ?? 0, Double(aligned) / runs,
          definition.widthFactor * d,
          (2 / (Double.pi * Double(d))).squareRoot()))
    }
    if divergedCount > 0 {
      sentences.append("\(divergedCount) runs diverged (recorded with their last finite snapshot).")
    }
    return sentences
  }
}

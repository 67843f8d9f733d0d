extension RegularizationConfiguration {
  /// Why these settings cannot steer a network with `hiddenLayers` hidden layers (the key
  /// relative to the regularization settings and what is allowed), or `nil`.
  /// `normalizedLayers`: the network normalises its layers (batch or layer norm), which the
  /// Jacobian penalty cannot handle.
  public func problem(hiddenLayers: Int, normalizedLayers: Bool) -> (key: String, message: String)?
  {
    if !(weight >= 0) || !weight.isFinite {
      return ("weight", "must be a finite number ≥ 0, got \(weight)")
    }
    if let jacobian = jacobianWeight {
      if !(jacobian >= 0 && jacobian.isFinite) {
        return ("jacobianWeight", "must be a finite number ≥ 0, got \(jacobian)")
      }
      if jacobian > 0 && normalizedLayers {
        return (
          "jacobianWeight",
          "the Jacobian penalty needs normalization none (a normalised layer's Jacobian is not D·W)"
        )
      }
      if jacobian > 0 && kind == .spectralNorm {
        return (
          "jacobianWeight", "cannot be combined with spectral-norm (use spectral-penalty or none)"
        )
      }
    }
    if let iterations = powerIterations, !(1...1000).contains(iterations) {
      return ("powerIterations", "must be in 1…1000, got \(iterations)")
    }
    switch targets {
    case .layerwise(let taus) where taus.count != hiddenLayers:
      return (
        "targets.taus", "give one target per hidden layer (\(hiddenLayers)), got \(taus.count)"
      )
    case .layerwise(let taus) where !taus.allSatisfy({ $0 > 0 && $0.isFinite }):
      return ("targets.taus", "every target must be a positive finite number, got \(taus)")
    case .rgFlow(_, let ratio) where !(ratio > 0 && ratio.isFinite):
      return ("targets.ratio", "must be a positive finite number, got \(ratio)")
    case .fixed(let tau) where !(tau > 0 && tau.isFinite):
      return ("targets.tau", "must be a positive number, got \(tau)")
    case .adaptive(let tau0) where !(tau0 > 0 && tau0.isFinite),
      .rgFlow(let tau0, _) where !(tau0 > 0 && tau0.isFinite):
      return ("targets.tau0", "must be a positive number, got \(tau0)")
    default: break
    }
    if case .adaptive = targets, kind != .spectralPenalty {
      return ("kind", "adaptive targets need kind spectral-penalty, got \(kind.rawValue)")
    }
    if adaptation != nil && !adapts {
      return (
        "adaptation",
        "only used with kind spectral-penalty and targets {kind: adaptive}; remove it or set both"
      )
    }
    if let problem = adaptation?.problem {
      return ("adaptation.\(problem.key)", problem.message)
    }
    return nil
  }
}

extension RecurrentRegularization {
  /// Why these settings cannot steer a recurrent network (the key relative to the
  /// regularization settings and what is allowed), or `nil`.
  public var problem: (key: String, message: String)? {
    if !(weight >= 0 && weight.isFinite) {
      return ("weight", "must be a finite number ≥ 0, got \(weight)")
    }
    if !(target > 0 && target.isFinite) {
      return ("target", "must be a positive number, got \(target)")
    }
    if let problem = adaptation?.problem {
      return ("adaptation.\(problem.key)", problem.message)
    }
    return nil
  }
}

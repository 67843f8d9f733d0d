import Tensors

/// A sequence task for recurrent networks (SPEC §2, sequences).
///
/// - `delayedRecall(lags:symbols:)`: the input at step t is a symbol `s_t`, uniform on
///   `0..<symbols`, one-hot; one output head per lag ℓ asks for `s_{t−ℓ}` (a memory curve in
///   one network). Scored from step `max(lags)` on.
/// - `temporalParity(window:)`: the input is a bit `b_t` (given as ±1); the target is the
///   parity `b_{t−w+1} ⊕ … ⊕ b_t` of the last `w` bits. Scored from step `w − 1` on.
/// - `narma10(burnIn:)`: the NARMA-10 system (Atiya & Parlos 2000) driven by `u_t ~ U[0, ½]`,
///   `y_{t+1} = 0.3 y_t + 0.05 y_t Σ_{i=0}^{9} y_{t−i} + 1.5 u_{t−9} u_t + 0.1`; the network
///   sees `u_t` and predicts `y_{t+1}` (regression). Scored after `burnIn` steps, during which
///   the system forgets its zero initial state.
public enum SequenceTask: Codable, Hashable, Sendable {
  case delayedRecall(lags: [Int], symbols: Int)
  case temporalParity(window: Int)
  case narma10(burnIn: Int)

  /// A short name for tables and directories (`recall-5`, `parity-3`, `narma10`).
  public var name: String {
    switch self {
    case .delayedRecall(let lags, _):
      return "recall-" + (lags.count == 1 ? "\(lags[0])" : "\(lags.min()!)to\(lags.max()!)")
    case .temporalParity(let window): return "parity-\(window)"
    case .narma10: return "narma10"
    }
  }

  /// Why the task's parameters cannot be used, or `nil`.
  public func problem(length: Int) -> String? {
    switch self {
    case .delayedRecall(let lags, let symbols):
      if lags.isEmpty || lags.contains(where: { $0 < 1 }) {
        return "delayed recall needs lags ≥ 1, got \(lags)"
      }
      if symbols < 2 { return "delayed recall needs at least 2 symbols, got \(symbols)" }
      if lags.max()! >= length {
        return "the largest lag (\(lags.max()!)) must be below the sequence length (\(length))"
      }
    case .temporalParity(let window):
      if window < 1 { return "parity window must be ≥ 1, got \(window)" }
      if window > length { return "parity window \(window) exceeds the sequence length \(length)" }
    case .narma10(let burnIn):
      if burnIn < 10 || burnIn >= length {
        return "NARMA-10 burn-in must be in 10..<length (\(length)), got \(burnIn)"
      }
    }
    return nil
  }

  /// Whether outputs are class scores (cross-entropy) rather than values (squared error).
  public var isClassification: Bool {
    if case .narma10 = self { return false }
    return true
  }

  /// Input width.
  public var inputDimension: Int {
    if case .delayedRecall(_, let symbols) = self { return symbols }
    return 1
  }

  /// Output heads: one per lag for recall, one otherwise.
  public var heads: Int {
    if case .delayedRecall(let lags, _) = self { return lags.count }
    return 1
  }

  /// Classes per head (1 for regression).
  public var classes: Int {
    switch self {
    case .delayedRecall(_, let symbols): return symbols
    case .temporalParity: return 2
    case .narma10: return 1
    }
  }

  /// The first step that is scored.
  public var firstScoredStep: Int {
    switch self {
    case .delayedRecall(let lags, _): return lags.max() ?? 0
    case .temporalParity(let window): return window - 1
    case .narma10(let burnIn): return burnIn
    }
  }

  /// `count` independent sequences of `length` steps.
  public func generate(count: Int, length: Int, using rng: inout some RandomNumberGenerator)
    -> SequenceDataset
  {
    precondition(problem(length: length) == nil, problem(length: length) ?? "")
    let d = inputDimension
    let h = heads
    var inputs = [Double](repeating: 0, count: count * length * d)
    var targets = [Double](repeating: 0, count: count * length * h)
    for n in 0..<count {
      switch self {
      case .delayedRecall(let lags, let symbols):
        let s = (0..<length).map { _ in rng.nextInt(below: symbols) }
        for t in 0..<length {
          inputs[(n * length + t) * d + s[t]] = 1
          for (j, lag) in lags.enumerated() where t >= lag {
            targets[(n * length + t) * h + j] = Double(s[t - lag])
          }
        }
      case .temporalParity(let window):
        let bits = (0..<length).map { _ in rng.nextInt(below: 2) }
        for t in 0..<length {
          inputs[n * length + t] = bits[t] == 1 ? 1 : -1
          if t >= window - 1 {
            targets[n * length + t] = Double(bits[(t - window + 1)...t].reduce(0, ^))
          }
        }
      case .narma10:
        let u = (0..<length).map { _ in 0.5 * rng.nextUniform() }
        let y = Data.narma10(u)
        for t in 0..<length {
          inputs[n * length + t] = u[t]
          targets[n * length + t] = y[t + 1]
        }
      }
    }
    return SequenceDataset(
      task: self, count: count, length: length,
      inputs: Tensor(shape: [count, length, d], scalars: inputs),
      targets: Tensor(shape: [count, length, h], scalars: targets))
  }
}

/// The NARMA-10 output for an input series `u` (Atiya & Parlos 2000):
/// `y_{t+1} = 0.3 y_t + 0.05 y_t Σ_{i=0}^{9} y_{t−i} + 1.5 u_{t−9} u_t + 0.1` with `y_t = 0` for
/// `t ≤ 9` (terms reaching before the start are zero). Returns `u.count + 1` values
/// `y_0 … y_T`, so `y[t + 1]` is the target for input step `t`.
public func narma10(_ u: [Double]) -> [Double] {
  var y = [Double](repeating: 0, count: u.count + 1)
  for t in 0..<u.count where t >= 9 {
    var window = 0.0
    for i in 0...9 { window += y[t - i] }
    y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * window + 1.5 * u[t - 9] * u[t] + 0.1
  }
  return y
}

/// Sequences of a ``SequenceTask``: inputs `(count, length, inputDimension)` and targets
/// `(count, length, heads)` (class indices stored as values for classification tasks; steps
/// before ``SequenceTask/firstScoredStep`` hold 0 and are not scored).
public struct SequenceDataset: Sendable {
  public var task: SequenceTask
  public var count: Int
  public var length: Int
  public var inputs: Tensor<Double>
  public var targets: Tensor<Double>

  /// Inputs of the sequences at `indices`, one `(indices.count, inputDimension)` matrix per step.
  public func inputSteps<S: TensorScalar>(_ indices: [Int], as _: S.Type = S.self) -> [Tensor<S>] {
    steps(inputs, indices)
  }

  /// Targets of the sequences at `indices`, one `(indices.count, heads)` matrix per step.
  public func targetSteps<S: TensorScalar>(_ indices: [Int], as _: S.Type = S.self) -> [Tensor<S>] {
    steps(targets, indices)
  }

  private func steps<S: TensorScalar>(_ values: Tensor<Double>, _ indices: [Int]) -> [Tensor<S>] {
    let width = values.shape[2]
    return values.withUnsafeBufferPointer { p in
      (0..<length).map { t in
        Tensor<S>(shape: [indices.count, width]) { flat in
          let (row, column) = flat.quotientAndRemainder(dividingBy: width)
          return S(p[(indices[row] * length + t) * width + column])
        }
      }
    }
  }
}

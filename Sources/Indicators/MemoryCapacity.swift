import Tensors

/// How a reservoir's readout is trained and scored: a driven run of
/// `washout + train + test` steps; the first `washout` states are discarded (the echo-state
/// property makes them forget the zero initial state), a ridge readout is fitted on the next
/// `train` states and scored on the last `test` states.
public struct ReadoutProtocol: Codable, Hashable, Sendable {
  public var washout: Int
  public var train: Int
  public var test: Int
  /// Ridge strength β (absolute; see ``ridgeRegression(_:_:ridge:solver:)``).
  public var ridge: Double
  public var solver: RidgeSolver

  public init(
    washout: Int = 1000, train: Int = 6000, test: Int = 3000, ridge: Double = 1e-6,
    solver: RidgeSolver = .cholesky
  ) {
    self.washout = washout
    self.train = train
    self.test = test
    self.ridge = ridge
    self.solver = solver
  }

  /// Steps of the driven run.
  public var steps: Int { washout + train + test }
  var trainRows: Range<Int> { washout..<(washout + train) }
  var testRows: Range<Int> { (washout + train)..<steps }

  /// Why the protocol cannot be used (the key and what is allowed), or `nil`.
  public var problem: (key: String, message: String)? {
    if washout < 0 { return ("washout", "must be ≥ 0, got \(washout)") }
    if train < 2 { return ("train", "must be at least 2 steps, got \(train)") }
    if test < 2 { return ("test", "must be at least 2 steps, got \(test)") }
    if !(ridge >= 0 && ridge.isFinite) {
      return ("ridge", "must be a finite number ≥ 0, got \(ridge)")
    }
    return nil
  }

  /// Fits the readout of `targets` `(steps, outputs)` from `states` `(steps, units)` on the
  /// training rows and returns its predictions on the test rows, `(test, outputs)`.
  public func testPredictions(states: Tensor<Double>, targets: Tensor<Double>) throws
    -> Tensor<Double>
  {
    precondition(states.rows == steps && targets.rows == steps, "need \(steps) rows")
    let fit = try ridgeRegression(
      states.slice(alongAxis: 0, trainRows), targets.slice(alongAxis: 0, trainRows), ridge: ridge,
      solver: solver)
    return fit.predict(states.slice(alongAxis: 0, testRows))
  }
}

/// Short-term memory capacity (Jaeger 2001, "Short term memory in echo state networks"):
/// for each delay k a linear readout `y_k(t)` is trained to reproduce the input `u(t−k)`, and
///
///     MC_k = cov²(y_k(t), u(t−k)) / (var y_k · var u),   MC = Σ_{k=0}^{K} MC_k
///
/// on held-out steps (the squared correlation coefficient). For i.i.d. input and a linear
/// reservoir of N units, `Σ_{k≥0} MC_k = N` (the states are N independent linear combinations
/// of the past inputs); nonlinear reservoirs trade memory for nonlinear computation.
public struct MemoryCapacity: Codable, Sendable, Equatable {
  /// `MC_k` for k = 0 … K.
  public var perDelay: [Double]
  /// `Σ_k MC_k`.
  public var total: Double { perDelay.reduce(0, +) }

  public init(perDelay: [Double]) { self.perDelay = perDelay }

  /// Measures the capacity from the states `(steps, units)` of a reservoir driven by the scalar
  /// input `input` (`steps` values), for delays `0…maxDelay` (which must not exceed the
  /// washout, so that every target `u(t−k)` of a fitted or scored step exists).
  public init(
    states: Tensor<Double>, input: [Double], maxDelay: Int, protocol p: ReadoutProtocol
  ) throws {
    precondition(maxDelay >= 0 && maxDelay <= p.washout, "max delay \(maxDelay) > washout")
    precondition(input.count == p.steps, "input of \(input.count) steps, protocol \(p.steps)")
    precondition(states.rows == p.steps, "states of \(states.rows) steps, protocol \(p.steps)")
    switch p.solver {
    case .cholesky:
      self.perDelay = try memoryCapacityFromCovariances(
        states: states, input: input, maxDelay: maxDelay, protocol: p)
    case .qr:
      let fit = try ridgeRegression(
        states.slice(alongAxis: 0, p.trainRows), delayMatrix(input, rows: p.trainRows, maxDelay),
        ridge: p.ridge, solver: p.solver)
      let predicted = fit.predict(states.slice(alongAxis: 0, p.testRows))
      self.perDelay = squaredCorrelations(
        predicted, delayMatrix(input, rows: p.testRows, maxDelay))
    }
  }
}

/// The delayed copies of a series: row `t − rows.lowerBound` holds `u(t), u(t−1), …, u(t−K)`
/// (every `t − k ≥ 0`).
func delayMatrix(_ u: [Double], rows: Range<Int>, _ maxDelay: Int) -> Tensor<Double> {
  precondition(rows.lowerBound >= maxDelay, "delays reach before the series")
  let k = maxDelay + 1
  let values = [Double](unsafeUninitializedCapacity: rows.count * k) { buffer, initialized in
    u.withUnsafeBufferPointer { source in
      for (r, t) in rows.enumerated() {
        for d in 0..<k { buffer[r * k + d] = source[t - d] }
      }
    }
    initialized = rows.count * k
  }
  return Tensor(shape: [rows.count, k], scalars: values)
}

/// The squared Pearson correlation of each column of `a` with the same column of `b`
/// (0 where either is constant), accumulated row by row.
func squaredCorrelations(_ a: Tensor<Double>, _ b: Tensor<Double>) -> [Double] {
  precondition(a.shape == b.shape, "\(a.shape) vs \(b.shape)")
  let (n, k) = (a.rows, a.columns)
  let ca = centeredColumns(a).centered
  let cb = centeredColumns(b).centered
  var sab = [Double](repeating: 0, count: k)
  var saa = [Double](repeating: 0, count: k)
  var sbb = [Double](repeating: 0, count: k)
  ca.withUnsafeBufferPointer { x in
    cb.withUnsafeBufferPointer { y in
      for t in 0..<n {
        for c in 0..<k {
          let (dx, dy) = (x[t * k + c], y[t * k + c])
          sab[c] += dx * dy
          saa[c] += dx * dx
          sbb[c] += dy * dy
        }
      }
    }
  }
  return (0..<k).map { c in saa[c] > 0 && sbb[c] > 0 ? sab[c] * sab[c] / (saa[c] * sbb[c]) : 0 }
}

/// Normalised root-mean-square error `√(mean (ŷ − y)² / var y)` of each column.
public func normalizedRootMeanSquareError(_ predicted: Tensor<Double>, _ observed: Tensor<Double>)
  -> [Double]
{
  (0..<observed.columns).map { c in
    let n = observed.rows
    var mean = 0.0
    for t in 0..<n { mean += observed[t, c] }
    mean /= Double(n)
    var error = 0.0
    var variance = 0.0
    for t in 0..<n {
      let d = predicted[t, c] - observed[t, c]
      error += d * d
      variance += (observed[t, c] - mean) * (observed[t, c] - mean)
    }
    return variance > 0 ? (error / variance).squareRoot() : .nan
  }
}

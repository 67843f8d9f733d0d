/// Minimises a function of one variable by SciPy's `optimize.fmin` (Nelder–Mead with
/// reflection 1, expansion 2, contraction ½, shrink ½), step for step, so that a fit which
/// finishes with it — WeightWatcher's Marchenko–Pastur fit does — lands on the same point.
///
/// The simplex starts at `{x₀, 1.05·x₀}` (`{0, 0.00025}` when `x₀ = 0`); it stops when both
/// vertices lie within `xTolerance` of the best and their values within `fTolerance`, or after
/// `maximumEvaluations` calls or `maximumIterations` iterations (SciPy's default is 200 of each
/// for one variable). Ties keep the earlier vertex first, as NumPy's `argsort` on two values.
public func scalarSimplexMinimum(
  start x0: Double, xTolerance: Double = 1e-4, fTolerance: Double = 1e-4,
  maximumEvaluations: Int = 200, maximumIterations: Int = 200, _ f: (Double) -> Double
) -> (point: Double, value: Double) {
  var calls = 0
  /// `nil` once the evaluation budget is spent (SciPy raises and abandons the step).
  func evaluate(_ x: Double) -> Double? {
    guard calls < maximumEvaluations else { return nil }
    calls += 1
    return f(x)
  }
  var points = [x0, x0 != 0 ? (1 + 0.05) * x0 : 0.00025]
  var values = [Double.infinity, .infinity]
  for k in 0..<2 {
    guard let v = evaluate(points[k]) else { break }
    values[k] = v
  }
  func sort() {
    if values[1] < values[0] || (values[0].isNaN && !values[1].isNaN) {
      points.swapAt(0, 1)
      values.swapAt(0, 1)
    }
  }
  sort()
  var iterations = 1
  step: while calls < maximumEvaluations && iterations < maximumIterations {
    if abs(points[1] - points[0]) <= xTolerance && abs(values[0] - values[1]) <= fTolerance {
      break
    }
    let centroid = points[0] / 1
    let reflected = 2 * centroid - points[1]
    guard let fr = evaluate(reflected) else { break step }
    if fr < values[0] {
      let expanded = 3 * centroid - 2 * points[1]
      guard let fe = evaluate(expanded) else { break step }
      (points[1], values[1]) = fe < fr ? (expanded, fe) : (reflected, fr)
    } else if fr < values[0] {
      // Unreachable with one variable (the second-worst vertex is the best); kept as in SciPy.
      (points[1], values[1]) = (reflected, fr)
    } else if fr < values[1] {
      let contracted = 1.5 * centroid - 0.5 * points[1]
      guard let fc = evaluate(contracted) else { break step }
      if fc <= fr {
        (points[1], values[1]) = (contracted, fc)
      } else {
        points[1] = points[0] + 0.5 * (points[1] - points[0])
        guard let v = evaluate(points[1]) else { break step }
        values[1] = v
      }
    } else {
      let contracted = 0.5 * centroid + 0.5 * points[1]
      guard let fcc = evaluate(contracted) else { break step }
      if fcc < values[1] {
        (points[1], values[1]) = (contracted, fcc)
      } else {
        points[1] = points[0] + 0.5 * (points[1] - points[0])
        guard let v = evaluate(points[1]) else { break step }
        values[1] = v
      }
    }
    iterations += 1
    sort()
  }
  sort()
  return (points[0], min(values[0], values[1]))
}

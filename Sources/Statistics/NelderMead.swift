/// Minimises a function of a few variables by the Nelder–Mead downhill simplex (Nelder & Mead
/// 1965; the standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½). Stops
/// when the simplex's function values agree to `tolerance` (relative, plus an absolute floor)
/// or after `maximumEvaluations`.
public func nelderMeadMinimum(
  start: [Double], step: [Double], tolerance: Double = 1e-12, maximumEvaluations: Int = 20_000,
  _ f: ([Double]) -> Double
) -> (point: [Double], value: Double) {
  let n = start.count
  precondition(n >= 1 && step.count == n, "start and step need the same positive length")
  var simplex =
    [start]
    + (0..<n).map { i in
      var p = start
      p[i] += step[i]
      return p
    }
  var values = simplex.map(f)
  var evaluations = simplex.count
  func value(_ p: [Double]) -> Double {
    evaluations += 1
    let v = f(p)
    return v.isNaN ? .infinity : v
  }
  while evaluations < maximumEvaluations {
    let order = values.indices.sorted { values[$0] < values[$1] }
    simplex = order.map { simplex[$0] }
    values = order.map { values[$0] }
    if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + 1e-30) + 1e-300 { break }
    var centroid = [Double](repeating: 0, count: n)
    for p in simplex.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
    func along(_ t: Double) -> [Double] {
      (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) }
    }
    let reflected = along(-1)
    let fr = value(reflected)
    if fr < values[0] {
      let expanded = along(-2)
      let fe = value(expanded)
      (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr)
    } else if fr < values[n - 1] {
      (simplex[n], values[n]) = (reflected, fr)
    } else {
      let contracted = fr < values[n] ? along(-0.5) : along(0.5)
      let fc = value(contracted)
      if fc < min(fr, values[n]) {
        (simplex[n], values[n]) = (contracted, fc)
      } else {
        for j in 1...n {
          simplex[j] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[j][$0] - simplex[0][$0]) }
          values[j] = value(simplex[j])
        }
      }
    }
  }
  let best = values.indices.min { values[$0] < values[$1] }!
  return (simplex[best], values[best])
}

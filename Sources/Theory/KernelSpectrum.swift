import Foundation
import Tensors

/// The eigen-spectrum of a kernel on P sample points and a target's power in its eigenmodes.
///
/// The eigenvalues of the Gram matrix divided by P, `η_k = λ_k(K)/P`, estimate the eigenvalues
/// of the kernel's integral operator under the data distribution (Nyström); with `u_k` the unit
/// eigenvectors, `φ_k(x_i) = √P u_k[i]` is orthonormal under the empirical measure and the
/// target's coefficient on it is `v_k = u_kᵀ y/√P`, so its power per mode is
/// `v_k² = (u_kᵀ y)²/P` (they sum to the mean of y²). These are the inputs of
/// ``KernelLearningCurve`` (Bordelon, Canatar & Pehlevan 2020).
public struct KernelSpectrum: Sendable {
  /// η_k, descending.
  public var eigenvalues: [Double]
  /// v_k² in the order of ``eigenvalues`` (empty without a target).
  public var targetPower: [Double]

  public init(eigenvalues: [Double], targetPower: [Double]) {
    self.eigenvalues = eigenvalues
    self.targetPower = targetPower
  }

  /// The spectrum of the Gram matrix `kernel` (P × P, symmetric) and, if given, the power of
  /// `targets` (P values) per mode: with a target by ``Tensors/symmetricEigenvaluesAndProjections(_:projecting:)``
  /// (two-stage tridiagonalisation, no eigenvectors formed), without by LAPACK's `dsyevd`.
  public init(kernel: Tensor<Double>, targets: [Double]? = nil) throws {
    let p = kernel.rows
    if let targets {
      precondition(targets.count == p, "one target per point")
      let spectrum = try symmetricEigenvaluesAndProjections(kernel, projecting: targets)
      eigenvalues = spectrum.eigenvalues.reversed().map { $0 / Double(p) }
      targetPower = spectrum.squaredProjections.reversed().map { $0 / Double(p) }
    } else {
      eigenvalues = try symmetricEigenvalues(kernel).reversed().map { $0 / Double(p) }
      targetPower = []
    }
  }

  /// The exponent b of `η_k ∝ k^−b`: the least-squares slope of log η_k against log k over the
  /// modes `range` (1-based), on log-spaced k so that the tail does not outweigh the head.
  /// Non-positive eigenvalues (rounding below zero) are left out. `nil` with fewer than three
  /// points.
  public func eigenvalueExponent(modes range: ClosedRange<Int>) -> Double? {
    let points = KernelSpectrum.logSpaced(range, limit: eigenvalues.count).compactMap {
      k -> (Double, Double)? in
      eigenvalues[k - 1] > 0 ? (log(Double(k)), log(eigenvalues[k - 1])) : nil
    }
    return KernelSpectrum.slope(points).map { -$0 }
  }

  /// The exponent a of the target power `v_k² ∝ k^−a`, from its tail sums
  /// `Σ_{j ≥ k} v_j² ≈ (k − ½)^{−(a − 1)}/(a − 1)` (the midpoint rule of Euler–Maclaurin, which
  /// removes the O(1/k) bias of `k^{−(a − 1)}`), far smoother than the single powers: one
  /// minus the least-squares slope of log tail against log(k − ½) over `range`, log-spaced.
  public func targetExponent(modes range: ClosedRange<Int>) -> Double? {
    guard !targetPower.isEmpty else { return nil }
    var tails = targetPower
    for k in stride(from: tails.count - 2, through: 0, by: -1) { tails[k] += tails[k + 1] }
    let points = KernelSpectrum.logSpaced(range, limit: tails.count).compactMap {
      k -> (Double, Double)? in
      tails[k - 1] > 0 ? (log(Double(k) - 0.5), log(tails[k - 1])) : nil
    }
    return KernelSpectrum.slope(points).map { 1 - $0 }
  }

  /// About 40 distinct integers, log-spaced over `range` ∩ 1…limit.
  static func logSpaced(_ range: ClosedRange<Int>, limit: Int) -> [Int] {
    let (low, high) = (max(range.lowerBound, 1), min(range.upperBound, limit))
    guard high > low else { return high == low ? [low] : [] }
    let steps = 40
    return Array(
      Set(
        (0...steps).map { i in
          Int((Double(low) * pow(Double(high) / Double(low), Double(i) / Double(steps))).rounded())
        }
      )
    ).filter { $0 >= low && $0 <= high }.sorted()
  }

  /// The least-squares slope of y on x, or `nil` with fewer than three points.
  static func slope(_ points: [(Double, Double)]) -> Double? {
    guard points.count >= 3 else { return nil }
    let n = Double(points.count)
    let mx = points.map(\.0).reduce(0, +) / n
    let my = points.map(\.1).reduce(0, +) / n
    var (sxy, sxx) = (0.0, 0.0)
    for (x, y) in points {
      sxy += (x - mx) * (y - my)
      sxx += (x - mx) * (x - mx)
    }
    return sxx > 0 ? sxy / sxx : nil
  }
}

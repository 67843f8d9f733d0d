import Foundation
import NN
import Runner

/// The order-to-chaos phase diagram of a deep random network (Poole et al. 2016; Schoenholz et
/// al. 2017): ln χ₁ over a grid of weight variances σ_w² ∈ (0, max] (columns, at their
/// centres) and bias variances σ_b² ∈ [0, max] (rows, top row σ_b² = max, bottom row 0), with
/// the critical σ_w² of every row, where χ₁ = σ_w² E[φ′(√q* z)²] = 1.
public struct PhaseDiagram: Sendable {
  public var activation: Activation
  public var maximumWeightVariance: Double
  public var maximumBiasVariance: Double
  /// `lnChi1[row][column]`.
  public var lnChi1: [[Double]]
  /// The critical σ_w² of each row (∞ where none exists).
  public var criticalWeightVariance: [Double]

  public var width: Int { lnChi1.first?.count ?? 0 }
  public var height: Int { lnChi1.count }

  /// σ_b² of each row, top to bottom.
  public var biasVariances: [Double] {
    (0..<height).map { maximumBiasVariance * Double(height - 1 - $0) / Double(height - 1) }
  }

  /// Computes the grid, one row per work item on `jobs` threads (the result does not depend on
  /// `jobs`), with an 81-point Gauss–Hermite rule.
  public init(
    activation: Activation, maximumWeightVariance: Double, maximumBiasVariance: Double,
    width: Int, height: Int, jobs: Int
  ) {
    precondition(width >= 1 && height >= 2, "a phase diagram needs at least 1 × 2 pixels")
    self.activation = activation
    self.maximumWeightVariance = maximumWeightVariance
    self.maximumBiasVariance = maximumBiasVariance
    let quadrature = GaussianQuadrature(points: 81)
    let rows = ParallelMap.all(Array(0..<height), jobs: jobs) {
      _, row -> (values: [Double], critical: Double) in
      let b = maximumBiasVariance * Double(height - 1 - row) / Double(height - 1)
      let values = (0..<width).map { column in
        let w = maximumWeightVariance * (Double(column) + 0.5) / Double(width)
        return Foundation.log(
          MeanField(
            activation: activation, weightVariance: w, biasVariance: b, quadrature: quadrature
          ).chi1())
      }
      return (
        values,
        Theory.criticalWeightVariance(
          activation: activation, biasVariance: b, quadrature: quadrature)
      )
    }
    lnChi1 = rows.map(\.values)
    criticalWeightVariance = rows.map(\.critical)
  }
}

import Data
import Experiments
import Foundation
import Testing
import Theory

/// The linear kernel (identity activation, no hidden layer) on power-law data: its spectrum is
/// the input covariance's over d, η_k = k^−(1+α)/d, so b = 1 + α = 2; the linear teacher's
/// power in mode k is w_k² λ_k/d with w_k ~ N(0, 1), so a = 2 on average (each draw scatters
/// with the teacher's w). Five draws of P = 2000, d = 64, fitted over modes 2…32: b within
/// 0.1 (the sample covariance spreads the eigenvalues by about √(d/P) = 18 % at the edge of
/// the range), a within its 95 % interval plus 0.15.
@Test func linearKernelExponentsAreTheDataSpectrum() throws {
  let analysis = KernelAnalysis(
    data: DataConfiguration(
      kind: .powerLaw, count: 2000, dimension: 64, alpha: 1, task: .regression, seed: 1),
    kernel: NeuralKernel(activation: .identity, depth: 0), draws: 5, modes: 2...32)
  let result = try analysis.run(jobs: 2)
  #expect(abs(result.nngp.eigenvalues.mean - 2) < 0.1, "\(result.nngp.eigenvalues)")
  #expect(
    abs(result.nngp.target.mean - 2) < result.nngp.target.halfWidth + 0.15, "\(result.nngp.target)")
  // With no hidden layer the NTK is the NNGP: K = Θ = x·x′/d.
  #expect(result.ntkSpectrum.eigenvalues == result.nngpSpectrum.eigenvalues)
  // The theory curve falls with P′ while P′ is below the d = 64 modes of the kernel (at
  // P′ = d the ridgeless curve has its interpolation peak).
  let errors = result.nngpCurve.map(\.error)
  #expect(errors[0] > errors[1], "\(errors)")
}

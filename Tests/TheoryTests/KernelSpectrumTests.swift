import Foundation
import NN
import Tensors
import Testing
import Theory

/// A Gram matrix built with a known spectrum: K = P · U diag(η) Uᵀ with U a Householder
/// reflection (orthogonal), η_k = k^−1.5, and y = √P Σ_k c_k u_k with c_k² = k^−2.5. The
/// spectrum returns η and c² to rounding, the eigenvalue exponent is 1.5 (an exact power law),
/// and the target exponent from tail sums is 2.5 within 0.05 over modes 4…32 of 512 (the tail
/// sum of k^−a is (k − ½)^{1−a}/(a − 1) up to O(k^{−a−2}), and the sum stops at P; against
/// log k instead of log(k − ½) the slope missed by 0.08).
@Test func spectrumOfAKnownKernel() throws {
  let p = 512
  var rng = SplittableRandom(seed: 3)
  let v = (0..<p).map { _ in rng.nextNormal() }
  let norm2 = v.reduce(0) { $0 + $1 * $1 }
  func u(_ i: Int, _ k: Int) -> Double { (i == k ? 1 : 0) - 2 * v[i] * v[k] / norm2 }
  let eta = (1...p).map { pow(Double($0), -1.5) }
  let c = (1...p).map { pow(Double($0), -1.25) }
  var kernel = [Double](repeating: 0, count: p * p)
  for i in 0..<p {
    for j in 0..<p {
      var total = 0.0
      for k in 0..<p { total += u(i, k) * eta[k] * u(j, k) }
      kernel[i * p + j] = Double(p) * total
    }
  }
  let y = (0..<p).map { i in Double(p).squareRoot() * (0..<p).reduce(0) { $0 + c[$1] * u(i, $1) } }
  let spectrum = try KernelSpectrum(kernel: Tensor(shape: [p, p], scalars: kernel), targets: y)
  // dsyevd on a well-conditioned 512 × 512 matrix: eigenvalues to ~1e-13 of the largest.
  for k in 0..<p {
    #expect(abs(spectrum.eigenvalues[k] - eta[k]) < 1e-12, "η_\(k + 1)")
  }
  // Distinct eigenvalues, so each eigenvector (up to sign) and its power are determined.
  for k in 0..<32 {
    #expect(abs(spectrum.targetPower[k] - c[k] * c[k]) < 1e-10 * c[0] * c[0], "v²_\(k + 1)")
  }
  let b = try #require(spectrum.eigenvalueExponent(modes: 2...256))
  #expect(abs(b - 1.5) < 1e-9, "\(b)")
  let a = try #require(spectrum.targetExponent(modes: 4...32))
  #expect(abs(a - 2.5) < 0.05, "\(a)")
}

/// Nyström consistency: the linear kernel x·x′/d on P = 4000 Gaussian points with covariance
/// eigenvalues λ_k = k^−2 (d = 16) has η_k = λ_k(K)/P ≈ λ_k/d for the d nonzero modes. The
/// sample covariance's eigenvalues have relative SE about √(2/P) = 2 % (tolerance 10 %), and
/// the modes beyond d vanish.
@Test func linearKernelSpectrumIsTheCovarianceSpectrum() throws {
  let (p, d) = (4000, 16)
  var rng = SplittableRandom(seed: 9)
  let scales = (1...d).map { pow(Double($0), -1.0) }
  let x = (0..<(p * d)).map { i in rng.nextNormal() * scales[i % d] }
  let kernel = NeuralKernel(activation: .identity, depth: 0).matrices(
    Tensor(shape: [p, d], scalars: x), jobs: 2
  ).nngp
  let spectrum = try KernelSpectrum(kernel: kernel)
  for k in 0..<d {
    let expected = scales[k] * scales[k] / Double(d)
    #expect(abs(spectrum.eigenvalues[k] - expected) < 0.1 * expected, "η_\(k + 1)")
  }
  #expect(abs(spectrum.eigenvalues[d]) < 1e-12)
}

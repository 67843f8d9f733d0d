import Tensors

/// Gauss–Hermite quadrature for expectations over a standard normal variable,
/// `E[f(z)] = ∫ f(z) e^{−z²/2}/√(2π) dz ≈ Σ_i w_i f(z_i)`, exact for polynomials of degree
/// below `2n`.
///
/// Nodes and weights by the Golub–Welsch algorithm (Golub & Welsch 1969, *Math. Comp.* 23):
/// the nodes are the eigenvalues of the symmetric tridiagonal Jacobi matrix of the
/// probabilists' Hermite polynomials (zero diagonal, off-diagonal `√k`), and each weight is
/// the squared first component of its unit eigenvector (the weight function has unit mass).
public struct GaussianQuadrature: Sendable {
  public let nodes: [Double]
  public let weights: [Double]

  /// An `n`-point rule (`n ≥ 1`).
  public init(points n: Int) {
    (nodes, weights) = golubWelsch(points: n, mass: 1) { Double($0).squareRoot() }
  }

  /// The default rule for mean-field integrals: 201 points (smooth integrands converge to
  /// machine precision; kinks such as ReLU's have closed forms instead).
  public static let standard = GaussianQuadrature(points: 201)

  /// `E[f(z)]`, z ~ N(0, 1).
  public func expectation(_ f: (Double) -> Double) -> Double {
    var total = 0.0
    for i in nodes.indices { total += weights[i] * f(nodes[i]) }
    return total
  }

  /// `E[f(z₁, z₂)]` for independent standard normals.
  public func expectation(_ f: (Double, Double) -> Double) -> Double {
    var total = 0.0
    for i in nodes.indices {
      var inner = 0.0
      for j in nodes.indices { inner += weights[j] * f(nodes[i], nodes[j]) }
      total += weights[i] * inner
    }
    return total
  }
}

/// The nodes and weights of the n-point Gauss rule of a weight function with total `mass`
/// whose orthogonal polynomials have a zero-diagonal Jacobi matrix with off-diagonal
/// `offDiagonal(k)`, k = 1…n − 1 (Golub & Welsch 1969): the nodes are its eigenvalues, each
/// weight `mass` × the squared first component of the unit eigenvector.
func golubWelsch(points n: Int, mass: Double, offDiagonal: (Int) -> Double) -> (
  nodes: [Double], weights: [Double]
) {
  precondition(n >= 1, "a quadrature rule needs at least one point")
  var jacobi = Tensor<Double>.zeros([n, n])
  for k in 1..<max(n, 1) {
    let b = offDiagonal(k)
    jacobi[k - 1, k] = b
    jacobi[k, k - 1] = b
  }
  // syevd on a tridiagonal matrix of this size cannot fail; a failure is a broken LAPACK.
  let decomposition = try! symmetricEigendecomposition(jacobi)
  let weights = (0..<n).map {
    mass * decomposition.eigenvectors[0, $0] * decomposition.eigenvectors[0, $0]
  }
  return (decomposition.eigenvalues, weights)
}

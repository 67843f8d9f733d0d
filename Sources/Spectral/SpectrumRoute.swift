/// How `crit analyze` computes the eigenvalues λᵢ = σᵢ² of WᵀW.
///
/// - `svd`: the squared singular values by LAPACK `dgesdd` without vectors, as SciPy and
///   WeightWatcher compute them — accurate relative to every σᵢ, small ones included.
/// - `gram`: the eigenvalues of the Gram matrix on the smaller side (``gramEigenvalues(of:)``:
///   `dsyrk`, two-stage tridiagonalisation, `dsterf`), several times faster on large matrices,
///   with an absolute error below ``gramEigenvalueErrorBound(rows:columns:eigenvalues:)``.
/// - `auto` (the default): `gram` for matrices whose smaller side is at least
///   ``gramSmallestSide``, kept only when every reported quantity is settled within that error
///   bound (x_min and the eigenvalue detX stops at to 10⁻⁷ relative, the fit's method); otherwise,
///   and for smaller matrices, `svd`.
public enum SpectrumRoute: String, Codable, CaseIterable, Sendable {
  case singularValues = "svd"
  case gram
  case automatic = "auto"

  /// The smaller side from which `auto` tries the Gram route (below it `dgesdd` takes well
  /// under a second).
  public static let gramSmallestSide = 1024

  func usesGram(smallerSide: Int) -> Bool {
    switch self {
    case .singularValues: false
    case .gram: true
    case .automatic: smallerSide >= Self.gramSmallestSide
    }
  }
}

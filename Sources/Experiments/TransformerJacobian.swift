import Autodiff
import NN
import Tensors

/// The input–output Jacobian of a transformer's blocks at one sequence: J = ∂ vec(X_depth) /
/// ∂ vec(X₀), an (L·D) × (L·D) matrix, X₀ the input representation (embeddings plus
/// positions) and X_depth the last block's output before the final LayerNorm. Its singular
/// values say how the stack stretches perturbations of the input (dynamical isometry: all
/// near 1; Pennington, Schoenholz & Ganguli 2017).
///
/// Computed by reverse mode in one pass: the sequence is repeated L·D times as a batch, and
/// copy b is seeded with the b-th unit vector, so its input gradient is row b of J.
public enum TransformerJacobian {
  /// The largest n = L·D whose Jacobian is computed: the repeated batch holds n·L tokens of
  /// width D, n² numbers per activation (the MLP's hidden layer 4n²), and the SVD of the n × n
  /// matrix is O(n³); at 4096 that is 64 MB per activation in single precision and about half a
  /// minute of LAPACK.
  public static let largestSize = 4096

  /// J for the input representation `x0` (L, D) of one sequence, through `model`'s blocks with
  /// the weight `view`.
  public static func jacobian<S: TensorScalar>(
    _ model: TransformerModel<S>, at x0: Tensor<S>, view: WeightView<S> = { $1 }
  ) -> Tensor<S> {
    let (length, width) = (model.length, model.width)
    precondition(x0.shape == [length, width], "x0 must be (\(length), \(width)), got \(x0.shape)")
    let n = length * width
    let tiled = Variable(
      Tensor<S>(shape: [n * length, width]) { x0[flat: $0 % n] }, requiresGradient: true)
    let (y, _) = model.represent(tiled, batch: n, view: view)
    var seed = Tensor<S>.zeros([n * length, width])
    for b in 0..<n { seed[flat: b * n + b] = 1 }
    y.backward(seed: seed)
    guard let gradient = tiled.grad else { return Tensor.zeros([n, n]) }
    return Tensor(shape: [n, n], scalars: gradient.scalars)
  }

  /// The singular values of J at `x0`, largest first; empty when L·D exceeds
  /// ``largestSize``.
  public static func singularValues<S: TensorScalar>(
    _ model: TransformerModel<S>, at x0: Tensor<S>, view: WeightView<S> = { $1 }
  ) throws -> [Double] {
    guard x0.count <= largestSize else { return [] }
    let j = jacobian(model, at: x0, view: view)
    return try singularValuesOnly(of: Tensor<Double>(j)).sorted(by: >)
  }
}

import Tensors
import Theory

extension NeuralKernel {
  /// Throws ``ConfigurationError`` (under `key`) when an entry of either kernel matrix is not
  /// finite: the layer variances overflowed for this depth, σ_w and σ_b on these inputs.
  func checkFinite(
    _ matrices: (nngp: Tensor<Double>, ntk: Tensor<Double>), key: String = "network"
  ) throws {
    guard matrices.nngp.scalars.allSatisfy(\.isFinite), matrices.ntk.scalars.allSatisfy(\.isFinite)
    else {
      throw ConfigurationError(
        key: key,
        message:
          "the kernel overflows (depth \(depth), σ_w \(weightStd), σ_b \(biasStd)): lower σ_w, σ_b or the depth, or scale the inputs"
      )
    }
  }
}

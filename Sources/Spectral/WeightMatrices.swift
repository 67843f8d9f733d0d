import Tensors

/// N and M of a tensor as WeightWatcher 0.7.7 derives them: a matrix's larger and smaller
/// side; for a 4-D convolution kernel, the channel dimensions — swapped once per kernel
/// position whose slice is wider than tall (so an even number of positions leaves a wide
/// kernel's N < M, as there).
public func weightWatcherDimensions(_ shape: [Int]) -> (n: Int, m: Int) {
  guard shape.count == 4 else { return (max(shape[0], shape[1]), min(shape[0], shape[1])) }
  let kernelFirst = shape[0] + shape[1] < shape[2] + shape[3]
  // Channels last (out, in, kh, kw): N = out, M = in; channels first (kh, kw, in, out): N =
  // out, M = in, slices read (in, out).
  var (n, m) = kernelFirst ? (shape[3], shape[2]) : (shape[0], shape[1])
  let (sliceRows, sliceColumns) = kernelFirst ? (shape[2], shape[3]) : (shape[0], shape[1])
  let wide = kernelFirst ? sliceColumns < sliceRows : sliceRows < sliceColumns
  let positions = kernelFirst ? shape[0] * shape[1] : shape[2] * shape[3]
  if wide && positions % 2 == 1 { swap(&n, &m) }
  return (n, m)
}

/// The matrices of a tensor: itself when 2-D; for a convolution kernel, its slice at every
/// kernel position, as the field's reference tool extracts them: (out, in, k…) — PyTorch's
/// layout — gives slices `W[:, :, k…]`; when the leading dimensions are the smaller ones
/// (k₁, k₂, in, out — Keras's layout; the tool's test is `d₀ + d₁ < d₂ + d₃`), `W[k₁, k₂, :, :]`.
/// Like the reference tool with its default `conv2d_norm` (WeightWatcher 0.7.7: each slice is
/// multiplied by √(count/2) with the count taken per slice, i.e. by √½), every slice is scaled
/// by √½, so a convolution's eigenvalues, x_min and λ_max read as there (checked on a
/// 96×48×3×3 kernel: α 17.9503, λ_max 0.10514 in both).
public func weightWatcherSlices(shape: [Int], values: [Double]) -> [Tensor<Double>] {
  if shape.count == 2 {
    return [Tensor(shape: shape, scalars: values)]
  }
  let kernelFirst = shape.count == 4 && shape[0] + shape[1] < shape[2] + shape[3]
  let (rows, columns) = kernelFirst ? (shape[2], shape[3]) : (shape[0], shape[1])
  let positions = values.count / (rows * columns)
  let scale = positions > 1 ? 0.5.squareRoot() : 1
  return (0..<positions).map { k in
    Tensor(shape: [rows, columns]) { index in
      let (r, c) = (index / columns, index % columns)
      let offset =
        kernelFirst ? k * rows * columns + r * columns + c : (r * columns + c) * positions + k
      return scale * values[offset]
    }
  }
}

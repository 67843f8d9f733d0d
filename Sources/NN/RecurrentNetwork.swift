import Autodiff
import Tensors

/// A vanilla (Elman) recurrent network with a linear readout:
///
///     a_t = x_t W_inᵀ + h_{t−1} W_recᵀ + b,   h_t = φ(a_t),   y_t = h_t W_outᵀ + b_out
///
/// with `h_0 = 0` unless given. The recurrent matrix `W_rec` (`hidden × hidden`) is what the
/// edge-of-chaos question is about: for `W_rec ~ N(0, g²/H)` and φ = tanh the autonomous
/// network is ordered for `g < 1` and chaotic above (Sompolinsky, Crisanti & Sommers 1988).
/// Trained by backpropagation through time: the graph of an unrolled sequence is an ordinary
/// autodiff graph (Werbos 1990); truncation detaches the carried state (``unroll(_:from:)``).
public struct RecurrentNetwork<Scalar: TensorScalar>: Module {
  /// `W_in`, `(hidden, inputs)`.
  public let inputWeight: Variable<Scalar>
  /// `W_rec`, `(hidden, hidden)`.
  public let recurrentWeight: Variable<Scalar>
  /// `b`, `(hidden)`.
  public let bias: Variable<Scalar>
  /// `W_out`, `b_out`.
  public let readout: Linear<Scalar>
  public let activation: Activation

  /// A network with given parameter values.
  public init(
    inputWeight: Tensor<Scalar>, recurrentWeight: Tensor<Scalar>, bias: Tensor<Scalar>,
    readoutWeight: Tensor<Scalar>, readoutBias: Tensor<Scalar>, activation: Activation = .tanh
  ) {
    let h = recurrentWeight.rows
    precondition(recurrentWeight.shape == [h, h], "W_rec must be square: \(recurrentWeight.shape)")
    precondition(inputWeight.rank == 2 && inputWeight.rows == h, "W_in \(inputWeight.shape)")
    precondition(bias.shape == [h] && readoutWeight.columns == h, "bias or readout shape")
    self.inputWeight = Variable(inputWeight, requiresGradient: true)
    self.recurrentWeight = Variable(recurrentWeight, requiresGradient: true)
    self.bias = Variable(bias, requiresGradient: true)
    self.readout = Linear(weight: readoutWeight, bias: readoutBias)
    self.activation = activation
  }

  /// A fresh network: `W_rec` Gaussian with entry variance `g²/H` (spectral radius ≈ g,
  /// the circular law) or `g` times a Haar orthogonal matrix; `W_in` with entry variance
  /// `inputScale²/inputs`; `b = 0`; the readout Glorot-normal.
  public init(
    inputs: Int, hidden: Int, outputs: Int, gain: Double = 1, orthogonal: Bool = false,
    inputScale: Double = 1, activation: Activation = .tanh,
    using rng: inout some RandomNumberGenerator
  ) {
    let w: Tensor<Scalar> =
      (orthogonal ? Initialization.orthogonal : .gaussian).sample(
        fanIn: hidden, fanOut: hidden, sigmaW: gain, sigmaB: 0, using: &rng
      ).weight
    let win = Tensor<Scalar>.randomNormal(
      [hidden, inputs], standardDeviation: inputScale / Double(inputs).squareRoot(), using: &rng)
    let (wout, _): (Tensor<Scalar>, Tensor<Scalar>) = Initialization.xavier.sample(
      fanIn: hidden, fanOut: outputs, sigmaW: 1, sigmaB: 0, using: &rng)
    self.init(
      inputWeight: win, recurrentWeight: w, bias: .zeros([hidden]), readoutWeight: wout,
      readoutBias: .zeros([outputs]), activation: activation)
  }

  public var hiddenSize: Int { recurrentWeight.shape[0] }
  public var inputSize: Int { inputWeight.shape[1] }
  public var outputSize: Int { readout.outputSize }

  /// One step: `(h_t, a_t)` from `x_t` `(batch, inputs)` and `h_{t−1}` `(batch, hidden)`.
  @inlinable
  public func step(_ x: Variable<Scalar>, _ previous: Variable<Scalar>) -> (
    hidden: Variable<Scalar>, preactivation: Variable<Scalar>
  ) {
    let a =
      linear(x, weight: inputWeight, bias: bias)
      + matmul(previous, recurrentWeight, transposeB: true)
    return (activation(a), a)
  }

  /// Runs the network over `inputs` (one `(batch, inputs)` matrix per step) from `initial`
  /// (zeros if `nil`); returns every `h_t` and `a_t`. Gradients flow back through all the
  /// steps and into `initial` if it requires them; a truncated BPTT chunk passes a detached
  /// state (`Variable(h.value)`) as `initial`.
  public func unroll(_ inputs: [Variable<Scalar>], from initial: Variable<Scalar>? = nil) -> (
    hidden: [Variable<Scalar>], preactivations: [Variable<Scalar>]
  ) {
    guard let first = inputs.first else { return ([], []) }
    var h = initial ?? Variable(Tensor<Scalar>.zeros([first.shape[0], hiddenSize]))
    var hidden: [Variable<Scalar>] = []
    var pre: [Variable<Scalar>] = []
    hidden.reserveCapacity(inputs.count)
    for x in inputs {
      let (next, a) = step(x, h)
      hidden.append(next)
      pre.append(a)
      h = next
    }
    return (hidden, pre)
  }

  /// The same recurrence on plain tensors (evaluation: no graph is recorded); returns every
  /// `h_t` and `a_t`.
  public func run(_ inputs: [Tensor<Scalar>], from initial: Tensor<Scalar>? = nil) -> (
    hidden: [Tensor<Scalar>], preactivations: [Tensor<Scalar>]
  ) {
    guard let first = inputs.first else { return ([], []) }
    var h = initial ?? Tensor<Scalar>.zeros([first.rows, hiddenSize])
    var hidden: [Tensor<Scalar>] = []
    var pre: [Tensor<Scalar>] = []
    let b = bias.value
    for x in inputs {
      var a = b.withUnsafeBufferPointer {
        Tensor<Scalar>(shape: [x.rows, hiddenSize], rowsRepeating: $0)
      }
      gemm(x, inputWeight.value, into: &a, transposeB: true, beta: 1)
      gemm(h, recurrentWeight.value, into: &a, transposeB: true, beta: 1)
      h =
        activation == .tanh
        ? a.map { Scalar.tanh($0) } : a.map { Scalar(activation.value(Double($0))) }
      hidden.append(h)
      pre.append(a)
    }
    return (hidden, pre)
  }

  /// Readout of plain hidden states `(batch, hidden)` → `(batch, outputs)`.
  public func output(_ h: Tensor<Scalar>) -> Tensor<Scalar> {
    var y = readout.bias!.value.withUnsafeBufferPointer {
      Tensor<Scalar>(shape: [h.rows, outputSize], rowsRepeating: $0)
    }
    gemm(h, readout.weight.value, into: &y, transposeB: true, beta: 1)
    return y
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    [
      ("input.weight", inputWeight), ("recurrent.weight", recurrentWeight),
      ("recurrent.bias", bias),
    ] + readout.parameters.map { ("readout.\($0.name)", $0.variable) }
  }
}

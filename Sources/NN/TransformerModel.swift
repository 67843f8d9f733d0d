import Autodiff
import Tensors

/// A small causal transformer over token sequences: token and learned position embeddings
/// added, `depth` pre-LN ``TransformerBlock``s, a final
/// LayerNorm and a linear readout to the vocabulary's logits at every position.
public struct TransformerModel<Scalar: TensorScalar>: Module {
  public let tokens: Variable<Scalar>
  public let positions: Variable<Scalar>
  public let blocks: [TransformerBlock<Scalar>]
  public let finalNorm: (gain: Variable<Scalar>, shift: Variable<Scalar>)
  public let readout: Linear<Scalar>
  public let length: Int

  /// Embeddings N(0, 1) (the LayerNorms set the scale), readout N(0, 1/D), blocks as
  /// ``TransformerBlock`` draws them, all from `seed`.
  public init(
    vocabulary: Int, length: Int, width: Int, heads: Int, depth: Int,
    parts: TransformerBlockParts = TransformerBlockParts(), seed: UInt64
  ) {
    var rng = SplittableRandom(seed: seed)
    tokens = Variable(
      Tensor(shape: [vocabulary, width]) { _ in Scalar(rng.nextNormal()) }, requiresGradient: true)
    positions = Variable(
      Tensor(shape: [length, width]) { _ in Scalar(rng.nextNormal()) }, requiresGradient: true)
    var drawn: [TransformerBlock<Scalar>] = []
    for _ in 0..<depth {
      drawn.append(TransformerBlock(width: width, heads: heads, parts: parts, using: &rng))
    }
    blocks = drawn
    finalNorm = (
      Variable(Tensor(repeating: 1, shape: [width]), requiresGradient: true),
      Variable(Tensor.zeros([width]), requiresGradient: true)
    )
    let scale = 1 / Double(width).squareRoot()
    readout = Linear(
      weight: Tensor(shape: [vocabulary, width]) { _ in Scalar(scale * rng.nextNormal()) },
      bias: Tensor.zeros([vocabulary]))
    self.length = length
  }

  /// Logits (batch·L, vocabulary) of `sequences` (each of `length` tokens), causal, with every
  /// block's attention maps.
  public func callAsFunction(_ sequences: [[Int]]) -> (
    logits: Variable<Scalar>, maps: [[Tensor<Scalar>]]
  ) {
    precondition(sequences.allSatisfy { $0.count == length }, "sequences of \(length) tokens")
    let batch = sequences.count
    let positionIndices = (0..<batch).flatMap { _ in Array(0..<length) }
    var x =
      embedding(tokens, indices: sequences.flatMap { $0 })
      + embedding(positions, indices: positionIndices)
    var maps: [[Tensor<Scalar>]] = []
    for block in blocks {
      let (y, blockMaps) = block(x, batch: batch, length: length, causal: true)
      x = y
      maps.append(blockMaps)
    }
    return (readout(layerNorm(x, gamma: finalNorm.gain, beta: finalNorm.shift)), maps)
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    var list: [(name: String, variable: Variable<Scalar>)] = [
      ("tokens", tokens), ("positions", positions),
    ]
    for (i, block) in blocks.enumerated() {
      list += block.parameters.map { ("blocks.\(i).\($0.name)", $0.variable) }
    }
    list += [("finalNorm.gain", finalNorm.gain), ("finalNorm.shift", finalNorm.shift)]
    list += readout.parameters.map { ("readout.\($0.name)", $0.variable) }
    return list
  }
}

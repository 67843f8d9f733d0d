import Autodiff
import Tensors

/// What a ``TransformerModel`` reads: token ids through a learned embedding table, or vectors
/// through a learned linear projection.
public enum TransformerInput: Codable, Sendable, Equatable, Hashable {
  case tokens(vocabulary: Int)
  case vectors(dimension: Int)

  /// Rows of the input matrix: the vocabulary, or the vector dimension.
  public var size: Int {
    switch self {
    case .tokens(let vocabulary): vocabulary
    case .vectors(let dimension): dimension
    }
  }
}

/// A small transformer over sequences of `length`: the input embedding (token table or linear
/// projection of vectors) plus learned position embeddings, `depth` pre-LN
/// ``TransformerBlock``s (causal or not), a final LayerNorm and a linear readout to `outputs`
/// values at every position.
public struct TransformerModel<Scalar: TensorScalar>: Module {
  public let input: TransformerInput
  /// (vocabulary, D) token embeddings, or the (dimension, D) projection of input vectors.
  public let embedding: Variable<Scalar>
  public let positions: Variable<Scalar>
  public let blocks: [TransformerBlock<Scalar>]
  public let finalNorm: (gain: Variable<Scalar>, shift: Variable<Scalar>)
  public let readout: Linear<Scalar>
  public let length: Int
  public let causal: Bool

  /// Token embeddings N(0, 1) (the LayerNorms set the scale), a vector projection
  /// N(0, 1/dimension) (unit-variance inputs give unit-variance features), positions N(0, 1),
  /// readout N(0, 1/D), blocks as ``TransformerBlock`` draws them, all from `seed`.
  public init(
    input: TransformerInput, length: Int, width: Int, heads: Int, depth: Int, outputs: Int,
    causal: Bool, parts: TransformerBlockParts = TransformerBlockParts(), seed: UInt64
  ) {
    var rng = SplittableRandom(seed: seed)
    let inputScale: Double
    switch input {
    case .tokens: inputScale = 1
    case .vectors(let dimension): inputScale = 1 / Double(dimension).squareRoot()
    }
    self.input = input
    embedding = Variable(
      Tensor(shape: [input.size, width]) { _ in Scalar(inputScale * rng.nextNormal()) },
      requiresGradient: true)
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
      weight: Tensor(shape: [outputs, width]) { _ in Scalar(scale * rng.nextNormal()) },
      bias: Tensor.zeros([outputs]))
    self.length = length
    self.causal = causal
  }

  /// The causal token model of the token tasks: a readout to the vocabulary's logits.
  public init(
    vocabulary: Int, length: Int, width: Int, heads: Int, depth: Int,
    parts: TransformerBlockParts = TransformerBlockParts(), seed: UInt64
  ) {
    self.init(
      input: .tokens(vocabulary: vocabulary), length: length, width: width, heads: heads,
      depth: depth, outputs: vocabulary, causal: true, parts: parts, seed: seed)
  }

  public var width: Int { positions.shape[1] }

  /// The input representation X₀ (batch·L, D) of token sequences: token plus position
  /// embeddings.
  public func embed(_ sequences: [[Int]]) -> Variable<Scalar> {
    precondition(sequences.allSatisfy { $0.count == length }, "sequences of \(length) tokens")
    let positionIndices = (0..<sequences.count).flatMap { _ in Array(0..<length) }
    return Autodiff.embedding(embedding, indices: sequences.flatMap { $0 })
      + Autodiff.embedding(positions, indices: positionIndices)
  }

  /// X₀ of vector sequences (batch·L, dimension): projection plus position embeddings.
  public func embed(vectors: Tensor<Scalar>) -> Variable<Scalar> {
    precondition(vectors.rank == 2 && vectors.shape[0] % length == 0, "vectors \(vectors.shape)")
    let batch = vectors.shape[0] / length
    let positionIndices = (0..<batch).flatMap { _ in Array(0..<length) }
    return matmul(Variable(vectors), embedding)
      + Autodiff.embedding(positions, indices: positionIndices)
  }

  /// The blocks applied to X₀ (batch·L, D): the last block's output, before the final
  /// LayerNorm, with every block's attention maps.
  public func represent(
    _ x0: Variable<Scalar>, batch: Int, view: WeightView<Scalar> = { $1 }
  ) -> (representation: Variable<Scalar>, maps: [[Tensor<Scalar>]]) {
    var x = x0
    var maps: [[Tensor<Scalar>]] = []
    for (i, block) in blocks.enumerated() {
      let (y, blockMaps) = block(
        x, batch: batch, length: length, causal: causal, view: view, prefix: "blocks.\(i).")
      x = y
      maps.append(blockMaps)
    }
    return (x, maps)
  }

  /// The readout of a representation: (batch·L, outputs).
  public func readOut(_ representation: Variable<Scalar>) -> Variable<Scalar> {
    readout(layerNorm(representation, gamma: finalNorm.gain, beta: finalNorm.shift))
  }

  /// Logits (batch·L, vocabulary) of token `sequences`, with every block's attention maps.
  public func callAsFunction(_ sequences: [[Int]], view: WeightView<Scalar> = { $1 }) -> (
    logits: Variable<Scalar>, maps: [[Tensor<Scalar>]]
  ) {
    let (x, maps) = represent(embed(sequences), batch: sequences.count, view: view)
    return (readOut(x), maps)
  }

  /// One output row per sequence of `vectors` (batch·L, dimension): the readout averaged over
  /// positions, (batch, outputs); with every block's attention maps.
  public func callAsFunction(vectors: Tensor<Scalar>, view: WeightView<Scalar> = { $1 }) -> (
    outputs: Variable<Scalar>, maps: [[Tensor<Scalar>]]
  ) {
    let batch = vectors.shape[0] / length
    let (x, maps) = represent(embed(vectors: vectors), batch: batch, view: view)
    let perPosition = readOut(x)
    let pooled = mean(reshape(perPosition, [batch, length, perPosition.shape[1]]), alongAxis: 1)
    return (pooled, maps)
  }

  /// Every block's weight matrices by name (`blocks.i.attention.query.weight`, …).
  public var blockWeightMatrices: [(name: String, variable: Variable<Scalar>)] {
    blocks.enumerated().flatMap { i, block in
      block.weightMatrices.map { ("blocks.\(i).\($0.name)", $0.variable) }
    }
  }

  public var parameters: [(name: String, variable: Variable<Scalar>)] {
    var list: [(name: String, variable: Variable<Scalar>)] = [
      ("embedding", embedding), ("positions", positions),
    ]
    for (i, block) in blocks.enumerated() {
      list += block.parameters.map { ("blocks.\(i).\($0.name)", $0.variable) }
    }
    list += [("finalNorm.gain", finalNorm.gain), ("finalNorm.shift", finalNorm.shift)]
    list += readout.parameters.map { ("readout.\($0.name)", $0.variable) }
    return list
  }
}

import Tensors

/// A node of a reverse-mode automatic-differentiation graph: a value, its gradient, and how
/// to push a gradient back to the nodes it was computed from.
///
/// Every operation creates a node whose `pullback` maps `∂L/∂output` to `∂L/∂input` for each
/// input (the vector–Jacobian product). ``backward()`` visits the graph in reverse
/// topological order from a scalar loss and accumulates `∂L/∂x` into each leaf's ``grad``
/// (Speelpenning's reverse accumulation; micrograd's structure at tensor granularity).
///
/// There is no global tape: the graph is the links between the nodes one training step
/// creates, owned by one task. Parameters are leaves with `requiresGradient == true`;
/// data are leaves without it, and operations on data alone record nothing.
public final class Variable<Scalar: TensorScalar> {
  /// The tensor this node holds. Optimizers write parameters' values here.
  public var value: Tensor<Scalar>
  /// `∂L/∂value` after ``backward()``; `nil` before, or after ``zeroGradient()``.
  public var grad: Tensor<Scalar>?
  /// Whether gradients flow to (and through) this node.
  public let requiresGradient: Bool

  @usableFromInline var inputs: [Variable]
  /// Given `∂L/∂self`, returns `∂L/∂input` for each input in order (`nil` for inputs
  /// that need none).
  @usableFromInline var pullback: ((Tensor<Scalar>) -> [Tensor<Scalar>?])?

  /// A leaf: a parameter when `requiresGradient` is true, data otherwise.
  public init(_ value: Tensor<Scalar>, requiresGradient: Bool = false) {
    self.value = value
    self.requiresGradient = requiresGradient
    self.inputs = []
    self.pullback = nil
  }

  /// The result of an operation. If no input requires a gradient the node is recorded as a
  /// constant and `pullback` is dropped.
  @inlinable
  public init(
    _ value: Tensor<Scalar>, inputs: [Variable],
    pullback: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]
  ) {
    self.value = value
    let needed = inputs.contains { $0.requiresGradient }
    self.requiresGradient = needed
    self.inputs = needed ? inputs : []
    self.pullback = needed ? pullback : nil
  }

  /// Releases the graph behind this node iteratively: a plain release of a long chain (a
  /// network of 20 000 layers) recurses once per node and overflows the stack.
  deinit {
    var pending = inputs
    inputs = []
    pullback = nil
    while var node = pending.popLast() {
      guard isKnownUniquelyReferenced(&node) else { continue }
      pending.append(contentsOf: node.inputs)
      node.inputs = []
      node.pullback = nil
    }
  }

  /// Shape of the value.
  @inlinable public var shape: [Int] { value.shape }

  /// Clears the accumulated gradient.
  public func zeroGradient() { grad = nil }

  /// Back-propagates from this node, which must hold a single element (a loss):
  /// seeds `∂L/∂L = 1` and accumulates `∂L/∂x` into every leaf `x` that requires a gradient.
  ///
  /// The graph is consumed: each intermediate node releases its gradient, its pullback and
  /// the tensors that pullback captured once used (PyTorch's default, `retain_graph=False`),
  /// so that parameters are uniquely referenced again when the optimizer writes them.
  public func backward() {
    precondition(value.count == 1, "backward() needs a scalar loss, got shape \(shape)")
    backward(seed: Tensor(shape: shape, scalars: [1]))
  }

  /// Back-propagates a given `∂L/∂self` (a vector–Jacobian product for non-scalar outputs).
  public func backward(seed: Tensor<Scalar>) {
    precondition(seed.shape == shape, "seed shape \(seed.shape) vs value shape \(shape)")
    guard requiresGradient else { return }
    let order = topologicalOrder()
    accumulate(seed)
    for node in order.reversed() {
      guard let pullback = node.pullback, let g = node.grad else { continue }
      let grads = pullback(g)
      for (input, inputGrad) in zip(node.inputs, grads) where input.requiresGradient {
        if let inputGrad { input.accumulate(inputGrad) }
      }
      node.grad = nil  // an intermediate: its gradient has been passed on
      node.pullback = nil
      node.inputs = []
    }
  }

  @usableFromInline
  func accumulate(_ g: Tensor<Scalar>) {
    precondition(g.shape == value.shape, "gradient shape \(g.shape) vs value shape \(value.shape)")
    if grad == nil { grad = g } else { grad!.add(g) }
  }

  /// Nodes reachable from `self` through inputs that require gradients, each after all of
  /// its inputs (iterative depth-first search, so deep unrolled graphs cannot overflow the stack).
  func topologicalOrder() -> [Variable] {
    var order: [Variable] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(node: Variable, expanded: Bool)] = [(self, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded {
        order.append(node)
        continue
      }
      if !visited.insert(ObjectIdentifier(node)).inserted { continue }
      stack.append((node, true))
      for input in node.inputs
      where input.requiresGradient
        && !visited.contains(ObjectIdentifier(input))
      {
        stack.append((input, false))
      }
    }
    return order
  }
}

import Autodiff
import RealModule
import Tensors

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), in PyTorch's formulation:
/// ```
/// Adam:  g ← ∇L + λw          AdamW:  w ← w − ηλw,  g ← ∇L
/// m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²;   t ← t + 1
/// w ← w − (η/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)
/// ```
public final class Adam<Scalar: TensorScalar>: Optimizer {
  public let beta1: Double
  public let beta2: Double
  public let epsilon: Double
  public let weightDecay: Double
  /// Decoupled weight decay (AdamW) instead of L2 added to the gradient (Adam).
  public let decoupled: Bool
  public private(set) var step = 0
  var firstMoments: [[Scalar]] = []
  var secondMoments: [[Scalar]] = []

  public init(
    beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0,
    decoupled: Bool = false
  ) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupled = decoupled
  }

  public func update(
    _ parameters: [(name: String, variable: Variable<Scalar>)], learningRate: Double
  ) {
    if firstMoments.count != parameters.count
      || zip(firstMoments, parameters).contains(where: { $0.count != $1.variable.value.count })
    {
      firstMoments = parameters.map { [Scalar](repeating: 0, count: $0.variable.value.count) }
      secondMoments = firstMoments
    }
    step += 1
    let t = Double(step)
    let b1 = Scalar(beta1)
    let b2 = Scalar(beta2)
    let stepSize = Scalar(learningRate / (1 - Foundation_pow(beta1, t)))
    let invRootCorrection2 = Scalar(1 / (1 - Foundation_pow(beta2, t)).squareRoot())
    let eps = Scalar(epsilon)
    let l2 = decoupled ? 0 : Scalar(weightDecay)
    let shrink = decoupled ? 1 - Scalar(learningRate * weightDecay) : 1
    for (index, (_, p)) in parameters.enumerated() {
      guard let g = p.grad else { continue }
      if shrink != 1 {
        p.value.withUnsafeMutableBufferPointer { w in for i in w.indices { w[i] *= shrink } }
      }
      g.withUnsafeBufferPointer { grad in
        firstMoments[index].withUnsafeMutableBufferPointer { m in
          secondMoments[index].withUnsafeMutableBufferPointer { v in
            p.value.withUnsafeMutableBufferPointer { w in
              Self.step(
                w: w.baseAddress!, m: m.baseAddress!, v: v.baseAddress!, g: grad.baseAddress!,
                count: w.count, b1: b1, b2: b2, l2: l2, stepSize: stepSize,
                invRootCorrection2: invRootCorrection2, eps: eps)
            }
          }
        }
      }
    }
  }

  /// The elementwise Adam update over raw pointers, eight lanes at a time (the compiler
  /// cannot prove the four buffers distinct, so the vector loop is written out).
  @inlinable
  static func step(
    w: UnsafeMutablePointer<Scalar>, m: UnsafeMutablePointer<Scalar>,
    v: UnsafeMutablePointer<Scalar>, g: UnsafePointer<Scalar>, count: Int, b1: Scalar,
    b2: Scalar, l2: Scalar, stepSize: Scalar, invRootCorrection2: Scalar, eps: Scalar
  ) {
    typealias Lanes = SIMD8<Scalar>
    let width = Lanes.scalarCount
    let vectorEnd = count - count % width
    var i = 0
    while i < vectorEnd {
      let wi = UnsafeRawPointer(w + i).loadUnaligned(as: Lanes.self)
      let gi = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self) + l2 * wi
      let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: Lanes.self) + (1 - b1) * gi
      let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: Lanes.self) + (1 - b2) * gi * gi
      UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Lanes.self)
      UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Lanes.self)
      let updated = wi - stepSize * mi / (vi.squareRoot() * invRootCorrection2 + eps)
      UnsafeMutableRawPointer(w + i).storeBytes(of: updated, as: Lanes.self)
      i += width
    }
    while i < count {
      let gi = g[i] + l2 * w[i]
      let mi = b1 * m[i] + (1 - b1) * gi
      let vi = b2 * v[i] + (1 - b2) * gi * gi
      m[i] = mi
      v[i] = vi
      w[i] -= stepSize * mi / (vi.squareRoot() * invRootCorrection2 + eps)
      i += 1
    }
  }
}

@usableFromInline func Foundation_pow(_ x: Double, _ y: Double) -> Double { Double.pow(x, y) }

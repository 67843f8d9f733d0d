import Tensors

/// Broadcasting arithmetic on variables. Pullbacks sum the incoming gradient back to each
/// operand's shape (the adjoint of broadcasting).
extension Variable {
  /// `a + b` with broadcasting: `∂a = g`, `∂b = g` (each summed to its operand's shape).
  @inlinable
  public static func + (a: Variable, b: Variable) -> Variable {
    let shapeA = a.shape
    let shapeB = b.shape
    return Variable(a.value + b.value, inputs: [a, b]) { g in
      [
        a.requiresGradient ? g.summed(toShape: shapeA) : nil,
        b.requiresGradient ? g.summed(toShape: shapeB) : nil,
      ]
    }
  }

  /// `a − b` with broadcasting: `∂a = g`, `∂b = −g`.
  @inlinable
  public static func - (a: Variable, b: Variable) -> Variable {
    let shapeA = a.shape
    let shapeB = b.shape
    return Variable(a.value - b.value, inputs: [a, b]) { g in
      [
        a.requiresGradient ? g.summed(toShape: shapeA) : nil,
        b.requiresGradient ? (-g).summed(toShape: shapeB) : nil,
      ]
    }
  }

  /// `a ⊙ b` with broadcasting: `∂a = g ⊙ b`, `∂b = g ⊙ a`.
  @inlinable
  public static func * (a: Variable, b: Variable) -> Variable {
    let x = a.value
    let y = b.value
    return Variable(x * y, inputs: [a, b]) { g in
      [
        a.requiresGradient ? (g * y).summed(toShape: x.shape) : nil,
        b.requiresGradient ? (g * x).summed(toShape: y.shape) : nil,
      ]
    }
  }

  /// `a / b` with broadcasting: `∂a = g / b`, `∂b = −g·a / b²`.
  @inlinable
  public static func / (a: Variable, b: Variable) -> Variable {
    let x = a.value
    let y = b.value
    return Variable(x / y, inputs: [a, b]) { g in
      [
        a.requiresGradient ? (g / y).summed(toShape: x.shape) : nil,
        b.requiresGradient ? (-(g * x) / (y * y)).summed(toShape: y.shape) : nil,
      ]
    }
  }

  /// `s · a` for a constant scalar `s`.
  @inlinable
  public static func * (a: Variable, s: Scalar) -> Variable {
    Variable(a.value * s, inputs: [a]) { g in [g * s] }
  }

  /// `s · a` for a constant scalar `s`.
  @inlinable
  public static func * (s: Scalar, a: Variable) -> Variable { a * s }

  /// `a + s` for a constant scalar `s`.
  @inlinable
  public static func + (a: Variable, s: Scalar) -> Variable {
    Variable(a.value + s, inputs: [a]) { g in [g] }
  }

  /// `−a`.
  @inlinable
  public static prefix func - (a: Variable) -> Variable {
    Variable(-a.value, inputs: [a]) { g in [-g] }
  }
}

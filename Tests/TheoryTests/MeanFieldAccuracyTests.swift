import Foundation
import NN
import Testing
import Theory

/// Reference q* and χ₁ of tanh networks from `bench/meanfield_reference.py` (mpmath, 40
/// digits, tanh-sinh quadrature split on the integrand's scales, bisection for q*), in
/// `Fixtures/meanfield_tanh.json`: σ_w² from 0.1 to 10⁶, σ_b² ∈ {0, 0.05, 1}.
struct MeanFieldReference: Decodable {
  struct Case: Decodable {
    var sigma_w2: Double
    var sigma_b2: Double
    var q_star: String
    var chi1: String
  }
  var cases: [Case]
}

/// q* and χ₁ for tanh within 10⁻⁸ relative of the high-precision reference over the whole
/// accepted range σ_w² ∈ [0.1, 10⁶] (the issue asks 10⁻⁶; the adaptive quadrature and the
/// bisection reach about 10⁻¹², so 10⁻⁸ leaves room for the last bisection steps and the
/// libm's tanh/cosh). The fixed 201-point Gauss–Hermite rule used before was 5 % off in χ₁ at
/// σ_w² = 30; the test checks that the fixed rule indeed fails there, so that it is the
/// quadrature, not the reference, that this test is about.
@Test func tanhMeanFieldMatchesHighPrecisionReference() throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/meanfield_tanh.json")
  let reference = try JSONDecoder().decode(MeanFieldReference.self, from: Data(contentsOf: url))
  #expect(reference.cases.count >= 30)
  for c in reference.cases {
    let field = MeanField(activation: .tanh, weightVariance: c.sigma_w2, biasVariance: c.sigma_b2)
    let q = field.fixedPointLength
    let chi = field.chi1(q: q)
    let (qRef, chiRef) = (Double(c.q_star)!, Double(c.chi1)!)
    let label = "σ_w² \(c.sigma_w2), σ_b² \(c.sigma_b2)"
    if qRef == 0 {
      #expect(q < 1e-10, "q*, \(label): \(q)")
    } else {
      #expect(abs(q - qRef) <= 1e-8 * qRef, "q*, \(label): \(q) vs \(qRef)")
    }
    #expect(abs(chi - chiRef) <= 1e-8 * chiRef, "χ₁, \(label): \(chi) vs \(chiRef)")
  }
  let fixed = MeanField(
    activation: .tanh, weightVariance: 30, biasVariance: 0.05, quadrature: .standard)
  let accurate = MeanField(activation: .tanh, weightVariance: 30, biasVariance: 0.05)
  #expect(abs(fixed.chi1() / accurate.chi1() - 1) > 0.01)
}

import CTrainability

/// The vector units the kernels' clones use on this processor, and the float64 peak probe run
/// on them (`crit_fma_probe`): twelve independent chains of fused multiply–adds on the widest
/// vectors the clones use — 8 doubles with AVX-512 (x86-64-v4), 4 with AVX2 and FMA
/// (x86-64-v3) — or a multiply and an add of 2 doubles on the x86-64 baseline, 2 floating-point
/// operations per lane each. The caller times it (``probe(iterations:)``).
public enum VectorUnits {
  /// "AVX-512", "AVX2+FMA" or "baseline": the clone the kernels run.
  public static var instructionSet: String {
    switch crit_vector_level() {
    case 3: "AVX-512"
    case 2: "AVX2+FMA"
    default: "baseline"
    }
  }

  /// Doubles per vector of the probe: 8, 4, or 2 on the baseline.
  public static var probeLanes: Int {
    switch crit_vector_level() {
    case 3: 8
    case 2: 4
    default: 2
    }
  }

  /// Runs `iterations` rounds of the probe: the floating-point operations done, and the mean
  /// of the chains' lanes, which tends to exactly 1 (each round maps a to a/2 + 1/2) and shows
  /// that every operation was carried out.
  public static func probe(iterations: Int) -> (flops: Double, mean: Double) {
    var flops = 0.0
    let mean = crit_fma_probe(iterations, &flops)
    return (flops, mean)
  }
}

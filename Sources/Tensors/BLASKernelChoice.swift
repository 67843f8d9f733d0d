import CTrainability

/// Whether OpenBLAS runs kernels that use this processor's vector units, and which to name
/// when it does not.
///
/// OpenBLAS built for run-time kernel choice (Debian's build) picks its kernels from the
/// processor's model number when the library loads. A processor newer than the library —
/// OpenBLAS 0.3.21 on Intel's fifth-generation Xeon (family 6, model 207), say — gets the
/// generic SSE3 kernels ("Prescott"): on that machine a 500 × 500 double-precision product
/// stream ran at about half the speed of the AVX-512 kernels ("SkylakeX"), which the same
/// library has. The environment variable `OPENBLAS_CORETYPE`, read at load time, names the
/// kernels instead; the command-line tool sets it and starts itself again when
/// ``replacement`` is not `nil` (different kernels may round differently, as they do between
/// processors; results stay within the tolerances the tests hold across machines).
public enum BLASKernelChoice {
  /// The kernel families of OpenBLAS that use AVX2 or AVX-512 (its `openblas_get_corename`
  /// names, lower-cased).
  static let vectorised: Set<String> = [
    "haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator", "steamroller",
  ]

  /// The kernels to name for a library that chose `current` on a processor with
  /// `vectorLevel` (3: AVX-512 F/VL/BW/DQ, 2: AVX2 and FMA, 1: neither): `nil` when the choice
  /// already uses vector units or the processor has none the library could use.
  public static func replacement(for current: String, vectorLevel: Int) -> String? {
    guard !vectorised.contains(current.lowercased()) else { return nil }
    switch vectorLevel {
    case 3: return "SkylakeX"
    case 2: return "Haswell"
    default: return nil
    }
  }

  /// ``replacement(for:vectorLevel:)`` for this process's library and processor.
  public static var replacement: String? {
    replacement(for: LinearAlgebraThreads.coreName, vectorLevel: Int(crit_vector_level()))
  }
}

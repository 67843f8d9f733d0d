import Foundation
import Testing

/// `crit theory kernel` as a user runs it: the exponent table, the theory's learning curve and
/// the chart; and a fit range outside the data is refused with what is allowed.
@Test func kernelCommandPrintsExponentsAndWritesTheChart() throws {
  let out = temporaryPath("spectra.svg")
  let run = try runShippedCrit([
    "theory", "kernel", "--dataset", "power-law", "--samples", "256", "--task", "regression",
    "--draws", "2", "--out", out,
  ])
  #expect(run.status == 0, "\(run.errors)")
  for fragment in ["b (η_k ∝ k^−b)", "min(a − 1, 2b)", "NNGP", "NTK", "E_g NNGP", "128"] {
    #expect(run.output.contains(fragment), "\(fragment)")
  }
  #expect(try String(contentsOfFile: out, encoding: .utf8).contains("<svg"))
  let bad = try runShippedCrit(["theory", "kernel", "--samples", "64", "--fit-to", "100"])
  #expect(bad.status == 2)
  #expect(
    bad.errors.contains("--fit-to") && bad.errors.contains("≤ --samples (64)"), "\(bad.errors)")
}

/// What the fuzzer found first: an empty fit range, a non-finite data setting and an
/// overflowing kernel each get exit status 2 and one line naming the option or the setting.
@Test(arguments: [
  (["--fit-to", "0"], "--fit-from and --fit-to"), (["--noise", "inf"], "--noise"),
  (["--sigma-w", "1000", "--depth", "100"], "the kernel overflows"),
])
func kernelCommandRefusesUnusableSettings(arguments: [String], fragment: String) {
  let (status, errors) = runCrit(["theory", "kernel", "--samples", "64"] + arguments)
  #expect(status == 2)
  #expect(errors.count == 1 && errors[0].contains(fragment), "\(errors)")
}

import ArgumentParser
import Experiments
import Foundation
import Report

/// `crit analyze FILE…`: heavy-tailed self-regularization analysis of every weight matrix in
/// `.npy` and `.safetensors` files (PyTorch state dicts, our checkpoints), with WeightWatcher's
/// numbers by default.
struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Per-layer spectra of weight matrices: power-law α, norms, Marchenko–Pastur bulk.",
    discussion: """
      Reads .npy arrays and .safetensors files (F64, F32, F16, BF16). Matrices are analysed as \
      they are; a convolution kernel (out, in, k…) is analysed as its k… slices of shape \
      (out, in) pooled into one spectrum. Vectors (biases, norms) are skipped.

      The numbers are WeightWatcher 0.7.7's (analyze with mp_fit and detX): eigenvalues are the \
      squared singular values; --fit weightwatcher (default) fits the tail with its own fitter \
      (every eigenvalue above 1e-5 but the largest is a candidate x_min; the one-sided KS \
      distance max|1 − (x/x_min)^(1−α) − k/n| is minimised; below 20 eigenvalues the \
      bias-corrected α = 1 + (n − 1)/Σ ln(x/x_min) on tails of at least 8); --fit clauset uses \
      the method of \
      Clauset, Shalizi & Newman (2009) as the powerlaw package does (distinct candidates leaving \
      a tail of 10, the two-sided KS distance). The Marchenko–Pastur bulk is fitted to a kernel \
      density of the eigenvalues rescaled to mean 1; spikes lie above the bulk edge plus a \
      Tracy–Widom allowance. Convolution slices are scaled by √½ (WeightWatcher's conv2d_norm). \
      Like WeightWatcher, layers with fewer than --min-evals or more than --max-evals \
      eigenvalues are skipped.

      --spectrum auto (default) takes the eigenvalues of WᵀW on the smaller side (syrk and a \
      two-stage tridiagonal reduction, several times faster than an SVD) for matrices with both \
      sides at least 1024, and keeps them only where their error bound ε·(k·Σλ + 4m·λ_max) \
      leaves x_min and the eigenvalue detX stops at settled to 1e-7; otherwise, and with --spectrum \
      svd, the squared singular values by dgesdd, as WeightWatcher (SciPy) computes them. \
      --spectrum gram always keeps the Gram eigenvalues. The JSON names the route each layer took.
      """)

  @Argument(
    help:
      "Files to analyse (.npy, .safetensors), or a run directory whose checkpoints (crit train --checkpoint-every) are analysed against the epoch."
  )
  var files: [String]

  @Option(help: "Power-law fit of the tail: weightwatcher (its own fitter) or clauset.")
  var fit: PowerLawFitMethod = .weightwatcher

  @Option(help: "Eigenvalues: auto, svd (dgesdd, as WeightWatcher) or gram (eigenvalues of WᵀW).")
  var spectrum: SpectrumRoute = .automatic

  @Option(help: "Skip layers with fewer eigenvalues than this (WeightWatcher's min_evals).")
  var minEvals = 8

  @Option(help: "Skip layers with more eigenvalues than this (WeightWatcher's max_evals).")
  var maxEvals = 15000

  @Option(help: "Write the results as JSON here.")
  var json: String?

  @Option(help: "Write the results as CSV here.")
  var csv: String?

  @Option(help: "Write an HTML page with every layer's spectrum here.")
  var html: String?

  @Option(
    help:
      "Threads: they share the blocks of a Gram matrix, and BLAS gets them where this machine's BLAS gives the same bits as one thread (results never depend on the count)."
  )
  var threads: Int = 1

  func run() throws {
    guard minEvals >= 2 else {
      throw ValidationError("--min-evals: must be at least 2, got \(minEvals)")
    }
    for (path, option) in [(json, "--json"), (csv, "--csv"), (html, "--html")] {
      if let path { try OutputPath.checkFile(path, option: option) }
    }
    try checkCount(threads, "--threads", 1...OptionLimits.threads, tooFew: "must be at least 1")
    LinearAlgebraThreads.set(threads)
    guard maxEvals >= minEvals else {
      throw ValidationError(
        "--max-evals: must be at least --min-evals (\(minEvals)), got \(maxEvals)")
    }
    var isDirectory: ObjCBool = false
    if files.count == 1,
      FileManager.default.fileExists(atPath: files[0], isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      return try analyzeRunDirectory(files[0])
    }
    let layers = try analyzeWeightFiles(
      files, fit: fit, eigenvalues: minEvals...maxEvals, route: spectrum, jobs: threads)
    guard !layers.isEmpty else {
      throw ValidationError(
        "no weight matrix with \(minEvals)…\(maxEvals) eigenvalues in \(files.joined(separator: ", "))"
      )
    }
    func f(_ x: Double?, _ format: String = "%.3f") -> String {
      x.map { $0.isFinite ? String(format: format, $0) : "–" } ?? "–"
    }
    print(
      renderTable(
        header: [
          "layer", "shape", "α ± σ", "x_min", "KS D", "tail", "α̂ (weighted)", "log‖W‖²_F",
          "log λ_max", "stable rank", "MP spikes", "trace-log",
        ],
        rows: layers.map { l in
          [
            l.name, l.shape.map(String.init).joined(separator: "×"),
            l.alpha.map { String(format: "%.2f ± %.2f", $0, l.alphaStandardError ?? .nan) } ?? "–",
            f(l.xMin, "%.3g"), f(l.ksDistance), l.tailCount.map(String.init) ?? "–",
            f(l.alphaWeighted), f(l.logFrobeniusNorm), f(l.logSpectralNorm),
            f(l.stableRank, "%.1f"),
            "\(l.spikes)", f(l.traceLog, "%.2f"),
          ]
        }))
    if let json {
      let encoder = JSONEncoder.forRuns
      try encoder.encode(layers).write(to: URL(fileURLWithPath: json))
    }
    if let csv {
      var text =
        "layer,shape,rows,columns,matrices,fit,alpha,alpha_se,x_min,ks_distance,tail,alpha_weighted,log_alpha_norm,log_norm,log_spectral_norm,stable_rank,mp_sigma,mp_edge,mp_softrank,spikes,trace_log,detx_num,detx_val,lognormal_ratio,lognormal_p\n"
      for l in layers {
        let values: [String] = [
          "\"\(l.name)\"", l.shape.map(String.init).joined(separator: "x"), "\(l.rows)",
          "\(l.columns)", "\(l.matrices)", l.fitMethod.rawValue, opt(l.alpha),
          opt(l.alphaStandardError), opt(l.xMin), opt(l.ksDistance),
          l.tailCount.map(String.init) ?? "", opt(l.alphaWeighted), opt(l.logAlphaNorm),
          "\(l.logFrobeniusNorm)", "\(l.logSpectralNorm)", "\(l.stableRank)",
          opt(l.marchenkoPasturSigma), opt(l.marchenkoPasturEdge), opt(l.mpSoftRank),
          "\(l.spikes)", opt(l.traceLog), "\(l.detXCount)", "\(l.detXValue)",
          opt(l.lognormalRatio), opt(l.lognormalPValue),
        ]
        text += values.joined(separator: ",") + "\n"
      }
      try text.write(toFile: csv, atomically: true, encoding: .utf8)
    }
    if let html {
      try spectrumPage(layers, files: files).write(toFile: html, atomically: true, encoding: .utf8)
      print(html)
    }
  }

  func opt(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
}

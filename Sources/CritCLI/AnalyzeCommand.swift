import ArgumentParser
import Data
import Experiments
import Foundation
import Report
import Spectral
import Tensors

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
      """)

  @Argument(help: "Files to analyse (.npy, .safetensors).")
  var files: [String]

  @Option(help: "Power-law fit of the tail: weightwatcher (its own fitter) or clauset.")
  var fit: PowerLawFitMethod = .weightwatcher

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

  func run() throws {
    guard minEvals >= 2 else {
      throw ValidationError("--min-evals: must be at least 2, got \(minEvals)")
    }
    for (path, option) in [(json, "--json"), (csv, "--csv"), (html, "--html")] {
      if let path { try OutputPath.checkFile(path, option: option) }
    }
    guard maxEvals >= minEvals else {
      throw ValidationError(
        "--max-evals: must be at least --min-evals (\(minEvals)), got \(maxEvals)")
    }
    var layers: [LayerSpectrumAnalysis] = []
    for file in files {
      for tensor in try readTensors(file) {
        guard tensor.shape.count >= 2, tensor.shape.count <= 5, !tensor.shape.contains(0) else {
          continue
        }
        let matrices = slices(tensor)
        let dimensions = weightWatcherDimensions(tensor.shape)
        let count = dimensions.m * matrices.count
        guard count >= minEvals, count <= maxEvals else { continue }
        let name =
          files.count > 1
          ? "\(URL(fileURLWithPath: file).lastPathComponent):\(tensor.name)" : tensor.name
        do {
          layers.append(
            try LayerSpectrumAnalysis(
              name: name, shape: tensor.shape, matrices: matrices, fit: fit,
              dimensions: dimensions))
        } catch let error as SpectrumError where files.count == 1 {
          throw SpectrumError("\(file): \(error.description)")
        }
      }
    }
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

  func readTensors(_ file: String) throws -> [StoredTensor] {
    if file.hasSuffix(".safetensors") { return try SafeTensors.read(path: file) }
    if file.hasSuffix(".npy") {
      let array = try NPYArray.read(path: file)
      return [
        StoredTensor(
          name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
          dtype: array.descr, shape: array.shape, values: array.values)
      ]
    }
    throw ValidationError("\(file): unknown file type (allowed: .npy, .safetensors)")
  }

  /// The matrices of a tensor: itself when 2-D; for a convolution kernel, its slice at every
  /// kernel position, as the field's reference tool extracts them: (out, in, k…) — PyTorch's
  /// layout — gives slices `W[:, :, k…]`; when the leading dimensions are the smaller ones
  /// (k₁, k₂, in, out — Keras's layout; the tool's test is `d₀ + d₁ < d₂ + d₃`), `W[k₁, k₂, :, :]`.
  /// Like the reference tool with its default `conv2d_norm` (WeightWatcher 0.7.7: each slice is
  /// multiplied by √(count/2) with the count taken per slice, i.e. by √½), every slice is scaled
  /// by √½, so a convolution's eigenvalues, x_min and λ_max read as there (checked on a
  /// 96×48×3×3 kernel: α 17.9503, λ_max 0.10514 in both).
  func slices(_ tensor: StoredTensor) -> [Tensor<Double>] {
    let shape = tensor.shape
    if shape.count == 2 {
      return [Tensor(shape: shape, scalars: tensor.values)]
    }
    let kernelFirst = shape.count == 4 && shape[0] + shape[1] < shape[2] + shape[3]
    let (rows, columns) = kernelFirst ? (shape[2], shape[3]) : (shape[0], shape[1])
    let positions = tensor.values.count / (rows * columns)
    let scale = positions > 1 ? 0.5.squareRoot() : 1
    return (0..<positions).map { k in
      Tensor(shape: [rows, columns]) { index in
        let (r, c) = (index / columns, index % columns)
        let offset =
          kernelFirst ? k * rows * columns + r * columns + c : (r * columns + c) * positions + k
        return scale * tensor.values[offset]
      }
    }
  }
}

/// N and M of a tensor as WeightWatcher 0.7.7 derives them: a matrix's larger and smaller
/// side; for a 4-D convolution kernel, the channel dimensions — swapped once per kernel
/// position whose slice is wider than tall (so an even number of positions leaves a wide
/// kernel's N < M, as there).
func weightWatcherDimensions(_ shape: [Int]) -> (n: Int, m: Int) {
  guard shape.count == 4 else { return (max(shape[0], shape[1]), min(shape[0], shape[1])) }
  let kernelFirst = shape[0] + shape[1] < shape[2] + shape[3]
  // Channels last (out, in, kh, kw): N = out, M = in; channels first (kh, kw, in, out): N =
  // out, M = in, slices read (in, out).
  var (n, m) = kernelFirst ? (shape[3], shape[2]) : (shape[0], shape[1])
  let (sliceRows, sliceColumns) = kernelFirst ? (shape[2], shape[3]) : (shape[0], shape[1])
  let wide = kernelFirst ? sliceColumns < sliceRows : sliceRows < sliceColumns
  let positions = kernelFirst ? shape[0] * shape[1] : shape[2] * shape[3]
  if wide && positions % 2 == 1 { swap(&n, &m) }
  return (n, m)
}

/// The analysis page: a table and each layer's ESD on log–log axes with the fitted tail and
/// the Marchenko–Pastur edge.
func spectrumPage(_ layers: [LayerSpectrumAnalysis], files: [String]) -> String {
  var page =
    htmlPageHead(title: "crit analyze")
      + """
      <h1>Weight spectra</h1><p class="note">\(escape(files.joined(separator: ", "))). ESD of WᵀW per layer (squared singular values, WeightWatcher 0.7.7's conventions; eigenvalues ≤ 10⁻⁵ left out of the fit); α by \(layers.first.map { $0.fitMethod == .clauset ? "the Clauset–Shalizi–Newman power-law fit" : "WeightWatcher's power-law fit" } ?? "") of its tail (x_min by KS distance); Marchenko–Pastur edge λ₊ by WeightWatcher's kernel-density fit. Heavy-tailed self-regularization reads α ≈ 2–4 as well trained, α &gt; 6 as little structure, α &lt; 2 as very heavy tails.</p>
      <table><tr><th>layer</th><th>shape</th><th>α ± σ</th><th>x_min</th><th>KS D</th><th>tail</th><th>α-weighted</th><th>log λ_max</th><th>stable rank</th><th>MP spikes</th></tr>
      """
  for l in layers {
    page +=
      "<tr><td>\(escape(l.name))</td><td>\(l.shape.map(String.init).joined(separator: "×"))</td><td>\(l.alpha.map { String(format: "%.2f ± %.2f", $0, l.alphaStandardError ?? .nan) } ?? "–")</td><td>\(l.xMin.map { String(format: "%.3g", $0) } ?? "–")</td><td>\(l.ksDistance.map { String(format: "%.3f", $0) } ?? "–")</td><td>\(l.tailCount.map(String.init) ?? "–")</td><td>\(l.alphaWeighted.map { String(format: "%.3f", $0) } ?? "–")</td><td>\(String(format: "%.3f", l.logSpectralNorm))</td><td>\(String(format: "%.1f", l.stableRank))</td><td>\(l.spikes)</td></tr>"
  }
  page += "</table><h2>Spectra</h2><div class=\"plots\">"
  for l in layers { page += esdChart(l) }
  return page + "</div></body></html>\n"
}

/// log10 density of the ESD in log-spaced bins, the fitted power law over the tail and the
/// Marchenko–Pastur edge.
func esdChart(_ l: LayerSpectrumAnalysis) -> String {
  let positive = l.eigenvalues.filter { $0 > 0 }
  guard let low = positive.first, let high = positive.last, high > low else { return "" }
  let bins = 40
  let (a, b) = (log10(low), log10(high) + 1e-9)
  guard a.isFinite, b.isFinite, b > a else { return "" }
  var counts = [Double](repeating: 0, count: bins)
  for v in positive {
    let position = (log10(v) - a) / (b - a) * Double(bins)
    guard position.isFinite else { continue }
    counts[min(bins - 1, max(0, Int(position)))] += 1
  }
  var xs: [Double] = []
  var ys: [Double] = []
  for i in 0..<bins where counts[i] > 0 {
    let left = pow(10, a + (b - a) * Double(i) / Double(bins))
    let right = pow(10, a + (b - a) * Double(i + 1) / Double(bins))
    xs.append(log10((left * right).squareRoot()))
    ys.append(log10(counts[i] / Double(positive.count) / (right - left)))
  }
  var series = [PlotSeries(name: "ESD", color: SVGPlot.palette[0], x: xs, y: ys)]
  if let alpha = l.alpha, let xMin = l.xMin, let tail = l.tailCount {
    // Density of the fitted tail, scaled by the tail's share of all eigenvalues.
    let share = Double(tail) / Double(positive.count)
    let points = [xMin, high].map { log10($0) }
    series.append(
      PlotSeries(
        name: String(format: "power law α = %.2f", alpha), color: SVGPlot.palette[1], x: points,
        y: points.map {
          log10(share * (alpha - 1) / xMin) - alpha * ($0 - log10(xMin))
        }, dashed: true))
  }
  let finiteY = ys.filter(\.isFinite)
  if let yLow = finiteY.min(), let yHigh = finiteY.max(), let edge = l.marchenkoPasturEdge {
    series.append(
      PlotSeries(
        name: "MP edge λ₊", color: SVGPlot.palette[2],
        x: [log10(edge), log10(edge)], y: [yLow, yHigh],
        dashed: true))
  }
  return SVGPlot.lineChart(
    title: l.name, xLabel: "log10 λ", yLabel: "log10 density", series: series)
}

/// A rectangular window of the input plane, sampled at `resolution × resolution` pixel
/// centres: pixel `(i, j)` (row i from the top... here row i runs along y from `yMin`) is the
/// point `(xMin + (j + ½)·Δx, yMin + (i + ½)·Δy)`.
public struct PlaneWindow: Codable, Sendable, Hashable {
  public var xMin: Double
  public var xMax: Double
  public var yMin: Double
  public var yMax: Double
  public var resolution: Int

  public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double, resolution: Int) {
    self.xMin = xMin
    self.xMax = xMax
    self.yMin = yMin
    self.yMax = yMax
    self.resolution = resolution
  }

  /// The point at the centre of pixel `(row, column)`.
  public func point(row: Int, column: Int) -> (Double, Double) {
    let dx = (xMax - xMin) / Double(resolution)
    let dy = (yMax - yMin) / Double(resolution)
    return (xMin + (Double(column) + 0.5) * dx, yMin + (Double(row) + 0.5) * dy)
  }
}

/// Class labels of a classifier on a pixel grid, and the boundary between classes.
public struct DecisionMap: Sendable, Equatable {
  public var window: PlaneWindow
  /// Label of every pixel, row-major.
  public var labels: [Int]
  /// How many points the classifier was asked about.
  public var evaluations: Int

  /// Pixels whose label differs from the pixel to the right or the one below.
  public var boundary: [Bool] {
    let n = window.resolution
    return labels.withUnsafeBufferPointer { labels in
      (0..<(n * n)).map { k in
        let (i, j) = (k / n, k % n)
        return (j + 1 < n && labels[k] != labels[k + 1])
          || (i + 1 < n && labels[k] != labels[k + n])
      }
    }
  }

  /// Every pixel evaluated: the reference the adaptive trace is tested against.
  public static func fullGrid(
    window: PlaneWindow, classify: ([(Double, Double)]) -> [Int]
  ) -> DecisionMap {
    let n = window.resolution
    let points = (0..<(n * n)).map { window.point(row: $0 / n, column: $0 % n) }
    return DecisionMap(window: window, labels: classify(points), evaluations: n * n)
  }

  /// Evaluates the classifier only where the boundary can be, so the cost grows with the
  /// boundary's length rather than the window's area.
  ///
  /// A lattice of pixels `initialSpacing` apart is labelled first. A block between four
  /// lattice pixels whose labels differ is refined — together with its eight neighbours, so
  /// that a boundary that enters and leaves a block between two corners is still found —
  /// by halving the spacing inside it; blocks whose corners agree (and whose neighbours do)
  /// take their corners' label. At spacing 1 every pixel near the boundary has been evaluated.
  public static func adaptive(
    window: PlaneWindow, initialSpacing: Int = 16, classify: ([(Double, Double)]) -> [Int]
  ) -> DecisionMap {
    let n = window.resolution
    var labels = [Int](repeating: -1, count: n * n)
    // Labels filled in from a uniform block are provisional: a neighbour's refinement may
    // still evaluate them.
    var evaluated = [Bool](repeating: false, count: n * n)
    var evaluations = 0
    var queued = [Bool](repeating: false, count: n * n)
    func evaluate(_ pixels: [Int]) {
      var todo: [Int] = []
      for pixel in pixels where !evaluated[pixel] && !queued[pixel] {
        queued[pixel] = true
        todo.append(pixel)
      }
      if todo.isEmpty { return }
      let answers = classify(todo.map { window.point(row: $0 / n, column: $0 % n) })
      for (pixel, label) in zip(todo, answers) {
        labels[pixel] = label
        evaluated[pixel] = true
      }
      evaluations += todo.count
    }
    func lattice(_ s: Int) -> [Int] {
      var coordinates = Array(stride(from: 0, to: n, by: s))
      if coordinates.last != n - 1 { coordinates.append(n - 1) }
      return coordinates
    }
    var spacing = max(1, min(initialSpacing, n - 1))
    var coordinates = lattice(spacing)
    evaluate(coordinates.flatMap { i in coordinates.map { i * n + $0 } })
    // Blocks are indexed by the position of their top-left corner in `coordinates`.
    let blockCount = coordinates.count - 1
    var candidates = (0..<(blockCount * blockCount)).map {
      (row: $0 / blockCount, column: $0 % blockCount)
    }
    while true {
      let count = coordinates.count - 1
      var flagged = [Bool](repeating: false, count: count * count)
      evaluate(
        candidates.flatMap { block -> [Int] in
          let (r0, r1) = (coordinates[block.row], coordinates[block.row + 1])
          let (c0, c1) = (coordinates[block.column], coordinates[block.column + 1])
          return [r0 * n + c0, r0 * n + c1, r1 * n + c0, r1 * n + c1]
        })
      for block in candidates {
        let (r0, r1) = (coordinates[block.row], coordinates[block.row + 1])
        let (c0, c1) = (coordinates[block.column], coordinates[block.column + 1])
        let first = labels[r0 * n + c0]
        if labels[r0 * n + c1] != first || labels[r1 * n + c0] != first
          || labels[r1 * n + c1] != first
        {
          for dr in -1...1 {
            for dc in -1...1 {
              let (r, c) = (block.row + dr, block.column + dc)
              if r >= 0 && r < count && c >= 0 && c < count { flagged[r * count + c] = true }
            }
          }
        }
      }
      let flaggedBlocks = flagged.indices.filter { flagged[$0] }.map {
        (row: $0 / count, column: $0 % count)
      }
      // Blocks left unflagged are uniform: fill their pixels with the corner label.
      for block in candidates where !flagged[block.row * count + block.column] {
        let (r0, r1) = (coordinates[block.row], coordinates[block.row + 1])
        let (c0, c1) = (coordinates[block.column], coordinates[block.column + 1])
        let label = labels[r0 * n + c0]
        for r in r0...r1 {
          for c in c0...c1 where !evaluated[r * n + c] { labels[r * n + c] = label }
        }
      }
      if spacing == 1 {
        // Flagged blocks of spacing 1 consist of lattice pixels; the dilated ones may not
        // have been evaluated yet.
        evaluate(
          flaggedBlocks.flatMap { block -> [Int] in
            let (r0, r1) = (coordinates[block.row], coordinates[block.row + 1])
            let (c0, c1) = (coordinates[block.column], coordinates[block.column + 1])
            return [r0 * n + c0, r0 * n + c1, r1 * n + c0, r1 * n + c1]
          })
        break
      }
      let finer = lattice(spacing / 2)
      var position = [Int](repeating: 0, count: n)
      for (k, x) in finer.enumerated() { position[x] = k }
      let finerCount = finer.count - 1
      var children = [Bool](repeating: false, count: finerCount * finerCount)
      for block in flaggedBlocks {
        let (r0, r1) = (coordinates[block.row], coordinates[block.row + 1])
        let (c0, c1) = (coordinates[block.column], coordinates[block.column + 1])
        for r in position[r0]..<position[r1] {
          for c in position[c0]..<position[c1] { children[r * finerCount + c] = true }
        }
      }
      spacing /= 2
      coordinates = finer
      candidates = children.indices.filter { children[$0] }.map {
        (row: $0 / finerCount, column: $0 % finerCount)
      }
    }
    // Pixels never reached lie inside uniform regions already filled; any left (none expected)
    // are evaluated so the map is complete.
    evaluate((0..<(n * n)).filter { labels[$0] < 0 })
    return DecisionMap(window: window, labels: labels, evaluations: evaluations)
  }
}

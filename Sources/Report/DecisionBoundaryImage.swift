import Data
import Experiments
import Indicators
import NN
import Tensors

/// A picture of a trained 2-D classifier: class regions in two light colours, the decision
/// boundary in black, and the training points on top (dark blue / dark red), as PNG bytes.
public func decisionBoundaryPNG(
  model: MLP<Float>, window: PlaneWindow, points: Dataset
) -> [UInt8] {
  let network = model.converted(to: Double.self)
  let map = DecisionMap.adaptive(window: window) { classify(network, $0) }
  let n = window.resolution
  let regions: [[UInt8]] = [[198, 219, 239], [253, 208, 162], [199, 233, 192], [218, 218, 235]]
  let dots: [[UInt8]] = [[8, 69, 148], [166, 54, 3], [0, 109, 44], [84, 39, 143]]
  var rgb = [UInt8](repeating: 255, count: n * n * 3)
  let boundary = map.boundary
  // Image rows run top-down; grid row i runs bottom-up in y.
  for i in 0..<n {
    for j in 0..<n {
      let k = i * n + j
      let pixel = ((n - 1 - i) * n + j) * 3
      let color =
        boundary[k] ? [UInt8](repeating: 20, count: 3) : regions[map.labels[k] % regions.count]
      rgb[pixel] = color[0]
      rgb[pixel + 1] = color[1]
      rgb[pixel + 2] = color[2]
    }
  }
  for (index, label) in points.labels.enumerated() {
    let x = Double(points.inputs[index, 0])
    let y = Double(points.inputs[index, 1])
    let j = Int((x - window.xMin) / (window.xMax - window.xMin) * Double(n))
    let i = n - 1 - Int((y - window.yMin) / (window.yMax - window.yMin) * Double(n))
    for di in -1...1 {
      for dj in -1...1 where i + di >= 0 && i + di < n && j + dj >= 0 && j + dj < n {
        let pixel = ((i + di) * n + j + dj) * 3
        let color = dots[label % dots.count]
        rgb[pixel] = color[0]
        rgb[pixel + 1] = color[1]
        rgb[pixel + 2] = color[2]
      }
    }
  }
  return PNG.encode(width: n, height: n, rgb: rgb)
}

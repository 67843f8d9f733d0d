import Autodiff
import Data
import Foundation
import NN
import Spectral
import Steering
import Tensors

/// The held-out set of a run: token sequences or vector sequences with targets.
enum HeldOutSequences {
  case tokens(AttentionTask.Batch)
  case vectors(AttentionTask.VectorBatch)
}

extension TransformerTaskRun {
  func makeModel() -> TransformerModel<Float> {
    task.isTokens
      ? TransformerModel(
        vocabulary: vocabulary, length: length, width: width, heads: heads, depth: depth,
        seed: seed)
      : TransformerModel(
        input: .vectors(dimension: dimension), length: length, width: width, heads: heads,
        depth: depth, outputs: 1, causal: false, seed: seed)
  }

  func draw(_ count: Int, using random: inout SplittableRandom) -> HeldOutSequences {
    task.isTokens
      ? .tokens(task.batch(count: count, length: length, vocabulary: vocabulary, using: &random))
      : .vectors(
        task.vectorBatch(count: count, length: length, dimension: dimension, using: &random))
  }

  /// The task loss of a batch, with the pass's outputs and maps.
  func loss(
    _ model: TransformerModel<Float>, _ examples: HeldOutSequences, view: WeightView<Float>
  ) -> (loss: Variable<Float>, outputs: Tensor<Float>, maps: [[Tensor<Float>]]) {
    switch examples {
    case .tokens(let b):
      let (logits, maps) = model(b.tokens, view: view)
      let rows = b.tokens.indices.flatMap { s in b.positions.map { s * length + $0 } }
      let loss = crossEntropy(
        logits: embedding(logits, indices: rows), labels: b.targets.flatMap { $0 })
      return (loss, logits.value, maps)
    case .vectors(let b):
      let (outputs, maps) = model(vectors: b.inputs, view: view)
      let target = Variable(
        Tensor<Float>(shape: [b.targets.count, 1], scalars: b.targets.map { Float($0) }))
      return (meanSquaredError(outputs, target), outputs.value, maps)
    }
  }

  /// Held-out accuracy (token tasks) or R² (the toy sum) of a pass's outputs.
  func score(_ outputs: Tensor<Float>, _ test: HeldOutSequences) -> Double {
    switch test {
    case .tokens(let b):
      var correct = 0
      for (s, targets) in b.targets.enumerated() {
        for (k, position) in b.positions.enumerated() {
          let row = s * length + position
          var best = 0
          for c in 1..<vocabulary where outputs[row, c] > outputs[row, best] { best = c }
          if best == targets[k] { correct += 1 }
        }
      }
      return Double(correct) / Double(b.targets.count * b.positions.count)
    case .vectors(let b):
      let mean = b.targets.reduce(0, +) / Double(b.targets.count)
      var residual = 0.0
      var total = 0.0
      for (s, y) in b.targets.enumerated() {
        residual += (Double(outputs[flat: s]) - y) * (Double(outputs[flat: s]) - y)
        total += (y - mean) * (y - mean)
      }
      return 1 - residual / total
    }
  }

  /// Per layer, the largest σ_max of a head's query–key form, of the weights a pass uses.
  func queryKeySigmaMax(_ controller: AttentionSpectralController<Float>) -> [Double] {
    let forms = controller.queryKeyForms()
    return (0..<depth).map { l in
      forms.filter { $0.name.hasPrefix("blocks.\(l).") }.map { form in
        (try? AttentionHeadMeasures.spectralSummary(Tensor<Double>(form.form.value)).sigmaMax)
          ?? .nan
      }.max() ?? .nan
    }
  }

  /// The input representation X₀ of held-out sequence 0, (L, D).
  func firstInput(_ model: TransformerModel<Float>, _ test: HeldOutSequences) -> Tensor<Float> {
    switch test {
    case .tokens(let b): model.embed([b.tokens[0]]).value
    case .vectors(let b):
      model.embed(vectors: b.inputs.slice(alongAxis: 0, 0..<length)).value
    }
  }

  /// Trains and measures; `nil` if `shouldStop` asked to stop at a snapshot. `heartbeat` is
  /// called at every snapshot (a store renews the run's lease there).
  public func run(shouldStop: () -> Bool = { false }, heartbeat: () -> Void = {}) throws
    -> Result?
  {
    try validate()
    let clock = ContinuousClock()
    let start = clock.now
    let model = makeModel()
    let controller = AttentionSpectralController(control, model: model)
    let view: WeightView<Float> = { controller.view($0, $1) }
    var data = SplittableRandom(seed: seed).derived("train")
    var held = SplittableRandom(seed: seed).derived("test")
    let test = draw(testCount, using: &held)
    let initialJacobian = try TransformerJacobian.singularValues(
      model, at: firstInput(model, test), view: view)
    let parameters = model.parameters + controller.parameters
    let optimizer = Adam<Float>()
    var snapshots: [Snapshot] = []
    var recent: [Double] = []
    var diverged = false
    var lastBeat = clock.now
    for step in 0...steps {
      if clock.now - lastBeat > .seconds(10) {
        heartbeat()
        lastBeat = clock.now
      }
      if step % recordEvery == 0 || step == steps || diverged {
        if shouldStop() { return nil }
        heartbeat()
        lastBeat = clock.now
        let pass = loss(model, test, view: view)
        snapshots.append(
          Snapshot(
            step: diverged ? step - 1 : step,
            trainLoss: recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count),
            testScore: score(pass.outputs, test),
            entropy: pass.maps.map { heads in
              heads.reduce(0) { $0 + AttentionHeadMeasures.entropy($1) }
                / Double(max(heads.count, 1))
            },
            queryKeySigmaMax: queryKeySigmaMax(controller)))
        recent = []
      }
      if step == steps || diverged { break }
      let (taskLoss, _, _) = loss(model, draw(batch, using: &data), view: view)
      let total = controller.penalty().map { taskLoss + $0 } ?? taskLoss
      let value = Double(taskLoss.value.scalar)
      recent.append(value)
      // A non-finite loss ends the run before its gradients touch the weights: the last
      // snapshot (taken next, at this step) measures the last finite model, with the
      // non-finite loss in its training loss.
      if !value.isFinite || !Double(total.value.scalar).isFinite {
        diverged = true
        continue
      }
      for (_, p) in parameters { p.zeroGradient() }
      total.backward()
      optimizer.update(parameters, learningRate: learningRate)
    }
    return try finish(
      model, controller: controller, test: test, snapshots: snapshots, diverged: diverged,
      initialJacobian: initialJacobian, seconds: (clock.now - start).inSeconds)
  }
}

import Autodiff
import Data
import Indicators
import NN
import RealModule
import Spectral
import Steering
import Tensors
import Theory

/// One row of a recurrent run's `metrics.csv`.
public struct RecurrentEpochMetrics: Codable, Sendable, Equatable {
  public var epoch: Int
  /// Mean data loss over the epoch's updates (without the penalty).
  public var trainLoss: Double
  public var testLoss: Double
  /// Classification: fraction of scored steps predicted right (mean over heads).
  public var testAccuracy: Double?
  /// Classification with several heads (delayed recall at several lags): per head.
  public var testAccuracyPerHead: [Double]?
  /// Regression: normalised RMSE on the test sequences' scored steps.
  public var testNRMSE: Double?
  /// ρ(W_rec) and σ_max(W_rec) at the end of the epoch.
  public var spectralRadius: Double
  public var sigmaMax: Double
  /// The recurrent Jacobian's χ₁ on the test sequences: mean over steps and sequences of
  /// `‖diag(φ′(a_t)) W_rec‖²_F / H`.
  public var chi1: Double
  /// The penalty's target τ (with a penalty).
  public var target: Double?
  public var learningRate: Double

  public init(
    epoch: Int, trainLoss: Double, testLoss: Double, testAccuracy: Double?,
    testAccuracyPerHead: [Double]?, testNRMSE: Double?, spectralRadius: Double, sigmaMax: Double,
    chi1: Double, target: Double?, learningRate: Double
  ) {
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.testLoss = testLoss
    self.testAccuracy = testAccuracy
    self.testAccuracyPerHead = testAccuracyPerHead
    self.testNRMSE = testNRMSE
    self.spectralRadius = spectralRadius
    self.sigmaMax = sigmaMax
    self.chi1 = chi1
    self.target = target
    self.learningRate = learningRate
  }
}

/// What a recurrent run produced.
public struct RecurrentTrainingResult: Sendable {
  public var configuration: RecurrentTrainingConfiguration
  public var metrics: [RecurrentEpochMetrics]
  public var status: RunStatus
  /// The first Lyapunov exponents (up to 8) of the trained network driven by a fresh input
  /// sequence of its task (QR method), largest first.
  public var drivenLyapunovSpectrum: [Double]?
  /// λ_max of that spectrum.
  public var drivenLyapunovExponent: Double? { drivenLyapunovSpectrum?.first }
  /// The trained parameters.
  public var state: [String: Tensor<Float>]
  public var seconds: Double
}

/// Trains a tanh RNN on a sequence task by (truncated) backpropagation through time with
/// Adam (or the configured optimiser), optional global-norm gradient clipping and optional
/// recurrent spectral control; evaluates on held-out sequences after every epoch.
///
/// Loss: cross-entropy per head (classification) or squared error (regression), averaged over
/// the scored steps of the chunk and the sequences of the batch. Deterministic for a given
/// configuration: the data come from `dataSeed`, initialisation and batch order from `seed`.
public func trainRecurrent(
  _ c: RecurrentTrainingConfiguration, shouldStop: () -> Bool = { false },
  onEpoch: (RecurrentEpochMetrics) -> Void = { _ in }
) -> RecurrentTrainingResult {
  let clock = ContinuousClock()
  let start = clock.now
  var dataRNG = SplittableRandom(seed: c.dataSeed).derived("sequences")
  let train = c.task.generate(count: c.trainSequences, length: c.length, using: &dataRNG)
  let test = c.task.generate(count: c.testSequences, length: c.length, using: &dataRNG)
  var rng = SplittableRandom(seed: c.seed)
  var initRNG = rng.derived("initialization")
  var orderRNG = rng.derived("order")
  let model = RecurrentNetwork<Float>(
    inputs: c.task.inputDimension, hidden: c.hidden, outputs: c.task.heads * c.task.classes,
    gain: c.gain, using: &initRNG)
  let optimizer = c.optimizer.make(for: Float.self)
  var penalty: RecurrentSpectralPenalty? =
    c.regularization.kind == .penalty
    ? RecurrentSpectralPenalty(
      measure: c.regularization.measure, weight: c.regularization.weight,
      target: c.regularization.target, rule: c.regularization.adaptation) : nil
  let parameters = model.parameters
  let testInputs = test.inputSteps(Array(0..<test.count), as: Float.self)
  let testTargets = test.targetSteps(Array(0..<test.count), as: Float.self)
  var metrics: [RecurrentEpochMetrics] = []
  var status = RunStatus.completed
  let chunk = c.truncation ?? c.length
  epochs: for epoch in 1...c.epochs {
    if shouldStop() {
      status = .interrupted(epoch: epoch - 1)
      break
    }
    let order = orderRNG.permutation(train.count)
    var lossSum = 0.0
    var updates = 0
    for batchStart in stride(from: 0, to: train.count, by: c.batchSize) {
      let indices = Array(order[batchStart..<min(batchStart + c.batchSize, train.count)])
      let inputs = train.inputSteps(indices, as: Float.self).map { Variable($0) }
      let targets = train.targetSteps(indices, as: Float.self)
      var carried: Variable<Float>? = nil
      for chunkStart in stride(from: 0, to: c.length, by: chunk) {
        let steps = chunkStart..<min(chunkStart + chunk, c.length)
        let (hidden, _) = model.unroll(Array(inputs[steps]), from: carried)
        carried = hidden.last.map { Variable($0.value) }  // detached: truncation
        let scored = steps.filter { $0 >= c.task.firstScoredStep }
        guard !scored.isEmpty else { continue }
        let loss = sequenceLoss(
          model, hidden: scored.map { hidden[$0 - chunkStart] },
          targets: scored.map { targets[$0] },
          task: c.task)
        var total = loss
        if penalty != nil {
          do {
            let (p, _) = try penalty!(model.recurrentWeight)
            total = total + p
          } catch {
            status = .diverged(epoch: epoch)
            break epochs
          }
        }
        model.zeroGradients()
        total.backward()
        let value = Double(loss.value.scalar)
        guard value.isFinite else {
          status = .diverged(epoch: epoch)
          break epochs
        }
        if let clip = c.gradientClip { clipGradients(parameters, to: clip) }
        optimizer.update(parameters, learningRate: c.learningRate)
        lossSum += value
        updates += 1
      }
    }
    let evaluation = evaluateRecurrent(
      model, inputs: testInputs, targets: testTargets, task: c.task)
    let w = Tensor<Double>(model.recurrentWeight.value)
    guard w.isFinite, evaluation.loss.isFinite else {
      status = .diverged(epoch: epoch)
      break
    }
    if let rule = c.regularization.adaptation, epoch % rule.every == 0 {
      penalty?.adapt(chi1: evaluation.chi1)
    }
    let row = RecurrentEpochMetrics(
      epoch: epoch, trainLoss: lossSum / Double(max(updates, 1)), testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      testAccuracyPerHead: c.task.heads > 1 ? evaluation.accuracyPerHead : nil,
      testNRMSE: evaluation.nrmse, spectralRadius: (try? spectralRadius(w)) ?? .nan,
      sigmaMax: (try? singularValues(of: w).first) ?? .nan, chi1: evaluation.chi1,
      target: penalty?.target, learningRate: c.learningRate)
    metrics.append(row)
    onEpoch(row)
  }
  var lyapunov: [Double]? = nil
  if status == .completed {
    lyapunov = drivenLyapunovSpectrum(
      model, task: c.task, exponents: min(8, c.hidden), seed: c.dataSeed &+ 7)
  }
  return RecurrentTrainingResult(
    configuration: c, metrics: metrics, status: status, drivenLyapunovSpectrum: lyapunov,
    state: model.state, seconds: (clock.now - start).inSeconds)
}

/// The mean loss over scored steps: cross-entropy per head (averaged over heads) or mean
/// squared error, computed on all scored steps' hidden states at once.
public func sequenceLoss<S>(
  _ model: RecurrentNetwork<S>, hidden: [Variable<S>], targets: [Tensor<S>], task: SequenceTask
) -> Variable<S> {
  let stacked = hidden.count == 1 ? hidden[0] : concatenate(hidden, alongAxis: 0)
  let output = model.readout(stacked)
  let target = Tensor.concatenate(targets, alongAxis: 0)
  guard task.isClassification else { return meanSquaredError(output, Variable(target)) }
  let classes = task.classes
  var total: Variable<S>? = nil
  for head in 0..<task.heads {
    let logits =
      task.heads == 1
      ? output : slice(output, alongAxis: 1, (head * classes)..<((head + 1) * classes))
    let labels = (0..<target.rows).map { Int(target[$0, head]) }
    let term = crossEntropy(logits: logits, labels: labels)
    total = total.map { $0 + term } ?? term
  }
  return total! * S(1 / Double(task.heads))
}

/// Scales every gradient by `clip/‖g‖` when the global norm `‖g‖` exceeds `clip`.
func clipGradients<S>(_ parameters: [(name: String, variable: Variable<S>)], to clip: Double) {
  var squared = 0.0
  for (_, p) in parameters {
    guard let g = p.grad else { continue }
    squared += Double(g.squaredNorm)
  }
  let norm = squared.squareRoot()
  guard norm > clip, norm.isFinite else { return }
  let scale = S(clip / norm)
  for (_, p) in parameters { p.grad = p.grad.map { $0 * scale } }
}

/// Test loss, accuracy (overall and per head) or NRMSE, and the recurrent χ₁.
public struct RecurrentEvaluation: Sendable {
  public var loss: Double
  public var accuracy: Double?
  public var accuracyPerHead: [Double]?
  public var nrmse: Double?
  public var chi1: Double
}

/// Evaluates a network on sequences (no graph recorded).
public func evaluateRecurrent(
  _ model: RecurrentNetwork<Float>, inputs: [Tensor<Float>], targets: [Tensor<Float>],
  task: SequenceTask
) -> RecurrentEvaluation {
  let (hidden, pre) = model.run(inputs)
  let scored = Array(task.firstScoredStep..<inputs.count)
  let output = Tensor<Double>(
    model.output(Tensor.concatenate(scored.map { hidden[$0] }, alongAxis: 0)))
  let target = Tensor<Double>(Tensor.concatenate(scored.map { targets[$0] }, alongAxis: 0))
  // χ₁ = mean_{t,b} (1/H) Σ_i φ′(a_{t,b,i})² Σ_j W_ij².
  let w = model.recurrentWeight.value
  let h = model.hiddenSize
  let rowNorms = (0..<h).map { i in (0..<h).reduce(0.0) { $0 + Double(w[i, $1] * w[i, $1]) } }
  var chi = 0.0
  var terms = 0
  for a in pre {
    a.withUnsafeBufferPointer { p in
      for r in 0..<a.rows {
        var s = 0.0
        for i in 0..<h {
          s += pow2(model.activation.derivative(Double(p[r * h + i]))) * rowNorms[i]
        }
        chi += s / Double(h)
        terms += 1
      }
    }
  }
  chi /= Double(max(terms, 1))
  guard task.isClassification else {
    let nrmse = normalizedRootMeanSquareError(output, target)[0]
    var mse = 0.0
    for i in 0..<output.count { mse += pow2(output[flat: i] - target[flat: i]) }
    return RecurrentEvaluation(
      loss: mse / Double(max(output.count, 1)), accuracy: nil, accuracyPerHead: nil, nrmse: nrmse,
      chi1: chi)
  }
  let classes = task.classes
  var loss = 0.0
  var perHead: [Double] = []
  for head in 0..<task.heads {
    var correct = 0
    for r in 0..<output.rows {
      let label = Int(target[r, head])
      var best = 0
      var maximum = -Double.infinity
      var sumExp = 0.0
      for k in 0..<classes where output[r, head * classes + k] > maximum {
        maximum = output[r, head * classes + k]
        best = k
      }
      for k in 0..<classes { sumExp += Double.exp(output[r, head * classes + k] - maximum) }
      loss += maximum + Double.log(sumExp) - output[r, head * classes + label]
      if best == label { correct += 1 }
    }
    perHead.append(Double(correct) / Double(max(output.rows, 1)))
  }
  loss /= Double(max(output.rows * task.heads, 1))
  return RecurrentEvaluation(
    loss: loss, accuracy: perHead.reduce(0, +) / Double(perHead.count), accuracyPerHead: perHead,
    nrmse: nil, chi1: chi)
}

@inline(__always) func pow2(_ x: Double) -> Double { x * x }

/// The first `k` Lyapunov exponents of a trained network driven by a fresh sequence of its
/// task (QR method; 500 steps of transient, 2000 measured); `nil` if not finite.
public func drivenLyapunovSpectrum(
  _ model: RecurrentNetwork<Float>, task: SequenceTask, exponents k: Int, seed: UInt64
) -> [Double]? {
  let transient = 500
  let steps = 2000
  var rng = SplittableRandom(seed: seed).derived("lyapunov drive")
  let stream = task.generate(count: 1, length: transient + steps, using: &rng)
  let x = stream.inputs.reshaped([transient + steps, task.inputDimension])
  let drive = matmul(x, Tensor<Double>(model.inputWeight.value), transposeB: true)
  let h = model.hiddenSize
  let spectrum = lyapunovExponents(
    recurrent: Tensor<Double>(model.recurrentWeight.value),
    bias: Tensor<Double>(model.bias.value).scalars, activation: model.activation, steps: steps,
    transient: transient, exponents: k, seed: seed,
    drive: { t in Array(drive.scalars[(t * h)..<((t + 1) * h)]) })
  return spectrum.allSatisfy(\.isFinite) ? spectrum : nil
}

import Autodiff
import CritTestSupport
import Data
import Experiments
import NN
import Steering
import Tensors
import Testing

/// A small double-precision RNN and 20-step sequences of a task, for gradient checks.
func smallRecurrentProblem(_ task: SequenceTask, seed: UInt64) -> (
  RecurrentNetwork<Double>, [Variable<Double>], [Tensor<Double>]
) {
  var rng = SplittableRandom(seed: seed)
  let model = RecurrentNetwork<Double>(
    inputs: task.inputDimension, hidden: 5, outputs: task.heads * task.classes, gain: 1.2,
    using: &rng)
  // Nonzero biases, so that their gradient is not trivially symmetric.
  model.bias.value = Tensor.randomNormal([5], standardDeviation: 0.3, using: &rng)
  let data = task.generate(count: 3, length: 20, using: &rng)
  let inputs: [Tensor<Double>] = data.inputSteps([0, 1, 2])
  let targets: [Tensor<Double>] = data.targetSteps([0, 1, 2])
  return (model, inputs.map { Variable($0) }, targets)
}

/// Backpropagation through time over 20 steps against central differences of the whole
/// sequence's loss, for every parameter (W_in, W_rec, b, readout): relative error < 1e-6
/// (double precision, h = 1e-6: truncation and rounding errors are ~1e-10 relative).
@Test(arguments: [
  SequenceTask.delayedRecall(lags: [1, 3], symbols: 3), .temporalParity(window: 2),
  .narma10(burnIn: 10),
])
func backpropagationThroughTimeMatchesFiniteDifferences(task: SequenceTask) {
  let (model, inputs, targets) = smallRecurrentProblem(task, seed: 1)
  let scored = Array(task.firstScoredStep..<20)
  let result = checkGradients(of: model.parameters.map(\.variable)) {
    let (hidden, _) = model.unroll(inputs)
    return sequenceLoss(
      model, hidden: scored.map { hidden[$0] }, targets: scored.map { targets[$0] }, task: task)
  }
  #expect(result.relativeError < 1e-6, "\(task.name): \(result)")
}

/// A truncated chunk's gradient is the gradient of its loss with the carried state held
/// fixed: the first 12 steps are run once and their last state detached; the last 8 steps'
/// loss is then checked against finite differences that perturb the parameters but not the
/// carried state.
@Test func truncatedChunkGradientMatchesFiniteDifferences() {
  let task = SequenceTask.temporalParity(window: 2)
  let (model, inputs, targets) = smallRecurrentProblem(task, seed: 2)
  let (first, _) = model.unroll(Array(inputs[0..<12]))
  let carried = Variable(first.last!.value)  // detached
  let result = checkGradients(of: model.parameters.map(\.variable)) {
    let (second, _) = model.unroll(Array(inputs[12..<20]), from: carried)
    return sequenceLoss(model, hidden: second, targets: Array(targets[12..<20]), task: task)
  }
  #expect(result.relativeError < 1e-6, "\(result)")
}

/// The graph-free evaluation path (`run`, `output`) computes the same states and outputs as the
/// autodiff path (`unroll`, readout) — two implementations of the recurrence.
@Test func evaluationPathEqualsAutodiffPath() {
  let task = SequenceTask.delayedRecall(lags: [2], symbols: 2)
  let (model, inputs, _) = smallRecurrentProblem(task, seed: 3)
  let (hidden, _) = model.unroll(inputs)
  let (plain, _) = model.run(inputs.map(\.value))
  for t in 0..<20 {
    #expect(maxAbsoluteDifference(hidden[t].value, plain[t]) < 1e-14)
    #expect(maxAbsoluteDifference(model.readout(hidden[t]).value, model.output(plain[t])) < 1e-14)
  }
}

/// A 64-unit tanh RNN trained by full BPTT (Adam, 3e-3, gradient clip 1) solves delayed recall
/// of binary symbols at lag 5: test accuracy above 95 % on 256 held-out sequences
/// (2,240 scored steps; chance is 50 %). The same configuration and seed give identical
/// metrics twice.
@Test func rnnSolvesDelayedRecallAtLagFive() {
  let c = RecurrentTrainingConfiguration(
    task: .delayedRecall(lags: [5], symbols: 2), length: 40, trainSequences: 512,
    testSequences: 256, hidden: 64, epochs: 15, seed: 0)
  let (result, again) = withExclusiveLinearAlgebra { (trainRecurrent(c), trainRecurrent(c)) }
  #expect(result.status == .completed)
  let accuracy = result.metrics.last!.testAccuracy!
  #expect(accuracy > 0.95, "test accuracy \(accuracy)")
  #expect(again.metrics == result.metrics)
}

/// Truncated BPTT with chunks shorter than the lag cannot carry the gradient back to the
/// symbol: at lag 8 with truncation 2 only what the untrained dynamics happen to keep reaches
/// the readout, while full BPTT learns the task (the truncation is real, not a label).
@Test func truncationLimitsWhatCanBeLearned() {
  var c = RecurrentTrainingConfiguration(
    task: .delayedRecall(lags: [8], symbols: 2), length: 32, trainSequences: 256,
    testSequences: 128, hidden: 32, epochs: 12, seed: 1)
  let full = trainRecurrent(c).metrics.last!.testAccuracy!
  c.truncation = 2
  let truncated = trainRecurrent(c).metrics.last!.testAccuracy!
  #expect(full > 0.9, "full BPTT reached \(full)")
  #expect(full > truncated + 0.15, "full \(full) vs truncated \(truncated)")
}

/// A spectral-radius penalty with a large weight holds ρ(W_rec) near its target during
/// training (here τ = 0.8 from g = 1.5), and the recorded ρ is LAPACK's.
@Test func recurrentPenaltyHoldsTheSpectralRadius() throws {
  let c = RecurrentTrainingConfiguration(
    task: .temporalParity(window: 2), length: 20, trainSequences: 512, testSequences: 64,
    hidden: 16, gain: 1.5, batchSize: 16, epochs: 10,
    regularization: RecurrentRegularization(
      kind: .penalty, measure: .spectralRadius, weight: 10, target: 0.8), seed: 2)
  let result = trainRecurrent(c)
  let last = result.metrics.last!
  #expect(abs(last.spectralRadius - 0.8) < 0.05, "ρ = \(last.spectralRadius)")
  let w = Tensor<Double>(result.state["recurrent.weight"]!)
  #expect(abs(try spectralRadius(w) - last.spectralRadius) < 1e-9)
}

/// Bad configurations name their key.
@Test func recurrentConfigurationErrorsNameTheKey() {
  var c = RecurrentTrainingConfiguration()
  c.hidden = 0
  #expect(throws: ConfigurationError.self) { try c.validate() }
  c = RecurrentTrainingConfiguration(task: .delayedRecall(lags: [50], symbols: 2), length: 40)
  do {
    try c.validate()
    Issue.record("accepted a lag beyond the sequence")
  } catch let error as ConfigurationError {
    #expect(error.option == "task")
  } catch { Issue.record("\(error)") }
}

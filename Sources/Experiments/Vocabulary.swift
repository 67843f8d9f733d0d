// The public vocabulary of experiments: the configuration types, errors and process settings
// that a program which runs experiments names, re-exported one declaration at a time, so that
// a front end (the command line) imports Experiments alone and not the layers beneath it.
// Everything else in those layers stays behind the experiments' entry points.

// Data sets and their errors.
@_exported import struct Data.DataConfiguration
@_exported import struct Data.DataError
@_exported import struct Data.Dataset
@_exported import enum Data.DatasetKind
@_exported import struct Data.SeriesFile
@_exported import enum Data.TaskKind
@_exported import func Data.exportData
// Spectral steering and indicators.
@_exported import enum Indicators.FluctuationWindows
@_exported import struct Indicators.IndicatorOptions
@_exported import struct Indicators.ReadoutProtocol
// Networks and optimisers.
@_exported import enum NN.Activation
@_exported import enum NN.Initialization
@_exported import enum NN.InputWeightDistribution
@_exported import struct NN.LearningRateSchedule
@_exported import enum NN.NormalizationKind
@_exported import struct NN.OptimizerConfiguration
@_exported import enum NN.OptimizerKind
@_exported import struct NN.ReservoirConfiguration
@_exported import struct NN.TwoLayerNetwork
// Work in parallel: stopping on request and sharing a value between workers.
@_exported import class Runner.LockedBox
@_exported import class Runner.StopFlag
// Spectra of weight matrices.
@_exported import struct Spectral.LayerSpectrumAnalysis
@_exported import enum Spectral.PowerLawFitMethod
@_exported import struct Spectral.SpectrumError
@_exported import enum Spectral.SpectrumRoute
@_exported import struct Steering.RegularizationConfiguration
@_exported import enum Steering.SpectralTargets
// Process settings the caller chooses once (never a library function): the allocator, the
// BLAS thread count, the memory budget of a request, and the ridge solver of readouts.
@_exported import enum Tensors.Allocator
@_exported import enum Tensors.BLASKernelChoice
@_exported import enum Tensors.LinearAlgebraThreads
@_exported import enum Tensors.MemoryBudget
@_exported import struct Tensors.MemoryBudgetError
@_exported import enum Tensors.RidgeSolver
@_exported import struct Theory.KernelLearningCurve
@_exported import struct Theory.KernelSpectrum
// Mean-field theory.
@_exported import struct Theory.LyapunovScan
@_exported import struct Theory.MeanField
@_exported import struct Theory.MeanFieldComparison
@_exported import struct Theory.NeuralKernel
@_exported import struct Theory.PhaseDiagram
@_exported import func Theory.criticalWeightVariance
// The fractal boundary of trainability.
@_exported import struct Trainability.BatchedTrainability
@_exported import enum Trainability.TrainabilityPrecision
@_exported import struct Trainability.TrainabilitySettingError
@_exported import struct Trainability.TrainabilitySetup
@_exported import enum Trainability.TrainabilitySpectralControl
@_exported import enum Trainability.TrainabilityVariant
@_exported import struct Trainability.TrainabilityView
@_exported import struct Trainability.TrainabilityZoom
@_exported import enum Trainability.TrainabilityZoomTarget

// swift-tools-version:6.0
import PackageDescription

/// Release builds serialize function bodies across modules so that the generic engine
/// (`Tensor<Scalar>`, `Variable<Scalar>`, layers, optimizers) is specialized for `Float` and
/// `Double` where it is used; without it the hot loops would run through witness tables.
let optimizeAcrossModules: [SwiftSetting] = [
  .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
  name: "Criticality",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "crit", targets: ["crit"]),
    .library(name: "Criticality", targets: [
        "Tensors", "Autodiff", "NN", "Data", "Spectral", "Steering", "Indicators", "Statistics",
        "Theory", "Experiments",
      ]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CLinearAlgebra",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),
    .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
    // The batched trainer of the fractal-trainability experiment (vectorised C, no
    // fused multiply–add, so that it is bit-identical to the straightforward Swift trainer).
    .target(
      name: "CTrainability", cSettings: [.unsafeFlags(["-O3"], .when(configuration: .release))]),

    .target(
      name: "Tensors",
      dependencies: ["CLinearAlgebra", .product(name: "RealModule", package: "swift-numerics")],
      swiftSettings: optimizeAcrossModules),
    .target(name: "Runner", swiftSettings: optimizeAcrossModules),
    .target(name: "Autodiff", dependencies: ["Tensors"], swiftSettings: optimizeAcrossModules),
    .target(name: "NN", dependencies: ["Autodiff"], swiftSettings: optimizeAcrossModules),
    .target(name: "Data", dependencies: ["Tensors"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Spectral", dependencies: ["Tensors", "Statistics"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Statistics",
      dependencies: ["Tensors", .product(name: "RealModule", package: "swift-numerics")],
      swiftSettings: optimizeAcrossModules),
    .target(
      name: "Steering", dependencies: ["NN", "Spectral"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Theory",
      dependencies: ["Tensors", "NN", .product(name: "RealModule", package: "swift-numerics")],
      swiftSettings: optimizeAcrossModules),
    .target(
      name: "Indicators", dependencies: ["NN", "Spectral"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Experiments",
      dependencies: [
        "NN", "Data", "Steering", "Indicators", "Statistics", "Theory", "CTrainability", "Runner",
      ],
      swiftSettings: optimizeAcrossModules),
    .target(
      name: "Report", dependencies: ["CZlib", "Experiments", "Theory"],
      swiftSettings: optimizeAcrossModules),
    .target(
      name: "Sweeps",
      dependencies: [
        "Experiments", "Runner", .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: optimizeAcrossModules),
    .target(
      name: "CritCLI",
      dependencies: [
        "Experiments", "Report", "Steering", "Indicators", "Sweeps", "Theory", "Statistics",
        "Spectral", "Data", "Runner",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: optimizeAcrossModules
    ),
    .executableTarget(
      name: "crit", dependencies: ["CritCLI"], swiftSettings: optimizeAcrossModules),
    .target(name: "CritTestSupport", dependencies: ["Tensors", "Autodiff"]),
    .testTarget(name: "TensorsTests", dependencies: ["Tensors", "CritTestSupport"]),
    .testTarget(name: "RunnerTests", dependencies: ["Runner"]),
    .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "CritTestSupport"]),
    .testTarget(name: "NNTests", dependencies: ["NN", "CritTestSupport"]),
    .testTarget(name: "DataTests", dependencies: ["Data", "CritTestSupport"]),
    .testTarget(
      name: "SpectralTests", dependencies: ["Spectral", "Statistics", "Tensors", "CritTestSupport"],
      // WeightWatcher's values (bench/weightwatcher_reference.py), read by path.
      exclude: ["Fixtures"]),
    .testTarget(
      name: "StatisticsTests", dependencies: ["Statistics", "Tensors", "CritTestSupport"]),
    .testTarget(
      name: "TheoryTests", dependencies: ["Theory", "NN", "CritTestSupport"],
      // High-precision mean-field values (bench/meanfield_reference.py), read by path.
      exclude: ["Fixtures"]),
    .testTarget(name: "ReportTests", dependencies: ["Report", "Experiments"]),
    .testTarget(name: "SweepsTests", dependencies: ["Sweeps", "Runner", "CritTestSupport"]),
    .testTarget(
      name: "SteeringTests",
      dependencies: [
        "Steering", "NN", "CritTestSupport", .product(name: "RealModule", package: "swift-numerics"),
      ],
      // PyTorch's spectral_norm values (bench/spectral_norm_reference.py), read by path.
      exclude: ["Fixtures"]),
    .testTarget(name: "IndicatorsTests", dependencies: ["Indicators", "Data", "CritTestSupport"]),
    .testTarget(
      name: "ExperimentsTests",
      dependencies: ["Experiments", "Steering", "Spectral", "NN", "Autodiff", "CritTestSupport"]),
    .testTarget(
      name: "CLITests",
      dependencies: ["CritCLI", "crit", "Sweeps", "Experiments", "Tensors", "CritTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

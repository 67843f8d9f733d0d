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
    .library(
      name: "Criticality",
      targets: [
        "Tensors", "Autodiff", "NN", "Data", "Spectral", "Steering", "Indicators", "Statistics",
        "Theory", "Trainability", "Experiments",
      ]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    // PostgresNIO's own dependencies, declared because the PostgreSQL store imports them.
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
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
      name: "CTrainability",
      exclude: ["README.md"], cSettings: [.unsafeFlags(["-O3"], .when(configuration: .release))]),

    .target(
      name: "Tensors",
      dependencies: [
        "CLinearAlgebra", "CTrainability", .product(name: "RealModule", package: "swift-numerics"),
      ],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(name: "Runner", exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Autodiff",
      dependencies: [.product(name: "RealModule", package: "swift-numerics"), "Tensors"],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "NN",
      dependencies: [
        .product(name: "RealModule", package: "swift-numerics"), "Tensors", "Autodiff",
        "CTrainability",
      ], exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Data",
      dependencies: [.product(name: "RealModule", package: "swift-numerics"), "Tensors", "CZlib"],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Spectral",
      dependencies: [
        .product(name: "RealModule", package: "swift-numerics"), "Runner", "Tensors", "Statistics",
      ], exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Statistics",
      dependencies: ["Tensors", .product(name: "RealModule", package: "swift-numerics")],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Steering",
      dependencies: [
        "Autodiff", .product(name: "RealModule", package: "swift-numerics"), "Tensors", "NN",
        "Spectral",
      ], exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Theory",
      dependencies: ["Runner", "Tensors", "NN", .product(name: "RealModule", package: "swift-numerics")],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Indicators",
      dependencies: [
        "Autodiff", .product(name: "RealModule", package: "swift-numerics"), "Tensors", "NN",
        "Spectral",
      ], exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    // The fractal boundary of trainability (SPEC §7 protocol 4): the problem, the batched
    // trainer over the C kernel, frames, zoom series and their settings.
    .target(
      name: "Trainability",
      dependencies: ["CTrainability", "Indicators", "NN", "Runner", "Tensors"],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Experiments",
      dependencies: [
        "Autodiff", .product(name: "RealModule", package: "swift-numerics"), "Spectral", "Tensors",
        "NN", "Data", "Steering", "Indicators", "Statistics", "Theory", "Runner", "Trainability",
      ],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Report",
      dependencies: ["Trainability", "Spectral", 
        "Data", "Indicators", "NN", "Statistics", "Tensors", "CZlib", "Experiments", "Theory", "Steering",
      ],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "Sweeps",
      dependencies: ["Trainability", 
        "Data", "Indicators", .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"), "NN", "Statistics", "Steering", "Tensors",
        "Experiments", "Report", "Runner", "Theory", .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "CritCLI",
      dependencies: [
        "Experiments", "Report", "Sweeps",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules
    ),
    .executableTarget(
      name: "crit", dependencies: ["CritCLI"],
      exclude: ["README.md"], swiftSettings: optimizeAcrossModules),
    .target(
      name: "CritTestSupport", dependencies: ["Tensors", "Autodiff"], exclude: ["README.md"]),
    .testTarget(name: "TensorsTests", dependencies: ["Tensors", "CritTestSupport"]),
    .testTarget(name: "RunnerTests", dependencies: ["Runner"]),
    .testTarget(name: "AutodiffTests", dependencies: ["Tensors", "Autodiff", "CritTestSupport"]),
    .testTarget(name: "NNTests", dependencies: ["Autodiff", "Tensors", "NN", "CritTestSupport"]),
    .testTarget(
      name: "DataTests",
      dependencies: [
        .product(name: "RealModule", package: "swift-numerics"), "Tensors", "Data",
        "CritTestSupport", "CZlib",
      ]),
    .testTarget(
      name: "SpectralTests",
      dependencies: [
        .product(name: "RealModule", package: "swift-numerics"), "Spectral", "Statistics",
        "Tensors", "CritTestSupport",
      ],
      // WeightWatcher's values (bench/weightwatcher_reference.py), read by path.
      exclude: ["Fixtures"]),
    .testTarget(
      name: "StatisticsTests", dependencies: ["Statistics", "Tensors", "CritTestSupport"]),
    .testTarget(
      name: "TheoryTests", dependencies: ["Tensors", "Theory", "NN", "CritTestSupport"],
      // High-precision mean-field values (bench/meanfield_reference.py), read by path.
      exclude: ["Fixtures"]),
    .testTarget(name: "ReportTests", dependencies: ["Report", "Experiments", "Statistics"]),
    .testTarget(
      name: "SweepsTests",
      dependencies: [
        "Experiments", "Steering", "Sweeps", "Runner", "Trainability", "CritTestSupport", "Report",
      ],
      // A store written by the previous version and a foreign database, read by path.
      exclude: ["Fixtures"]),
    .testTarget(
      name: "SteeringTests",
      dependencies: [
        "Autodiff", "Spectral", "Tensors",
        "Steering", "NN", "CritTestSupport",
        .product(name: "RealModule", package: "swift-numerics"),
      ],
      // PyTorch's spectral_norm values (bench/spectral_norm_reference.py), read by path.
      exclude: ["Fixtures"]),
    .testTarget(
      name: "IndicatorsTests",
      dependencies: [
        "Autodiff", "NN", .product(name: "RealModule", package: "swift-numerics"), "Tensors",
        "Indicators", "Data", "CritTestSupport", "CTrainability",
      ]),
    .testTarget(
      name: "ExperimentsTests",
      dependencies: ["Trainability", 
        "Data", "Indicators", "Tensors", "Experiments", "Steering", "Spectral", "NN", "Autodiff",
        "CritTestSupport", "Theory", "Statistics",
      ]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        .product(name: "ArgumentParser", package: "swift-argument-parser"), "Data", "CritCLI",
        "crit", "Sweeps", "Experiments", "Tensors", "CritTestSupport", "Report",
      ],
      // The demo's pinned numbers (scripts/demo_fixture.py), read by path.
      exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)

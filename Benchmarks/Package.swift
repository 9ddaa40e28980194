// swift-tools-version: 6.1
// Benchmarks for MoEServe, kept in their own package so that `swift build` and `swift test` of the main
// package never resolve or build the benchmark tooling. Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark [--target <Name>]
// Each benchmark target lives in `Benchmarks/<Name>/<Name>.swift` (the benchmark plugin's convention).
import PackageDescription

let package = Package(
    name: "MoEServeBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "MoEServe", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PerfModelBenchmarks",
            dependencies: [
                .product(name: "PerfModel", package: "MoEServe"),
                .product(name: "MoECore", package: "MoEServe"),
                .product(name: "Topology", package: "MoEServe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "PerfModelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "PlacementBenchmarks",
            dependencies: [
                .product(name: "Placement", package: "MoEServe"),
                .product(name: "PerfModel", package: "MoEServe"),
                .product(name: "MoECore", package: "MoEServe"),
                .product(name: "Topology", package: "MoEServe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "PlacementBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SchedulingBenchmarks",
            dependencies: [
                .product(name: "Scheduling", package: "MoEServe"),
                .product(name: "MoECore", package: "MoEServe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "SchedulingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SimulationBenchmarks",
            dependencies: [
                .product(name: "Simulation", package: "MoEServe"),
                .product(name: "Deployment", package: "MoEServe"),
                .product(name: "MoECore", package: "MoEServe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "SimulationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Engine", package: "MoEServe"),
                .product(name: "Deployment", package: "MoEServe"),
                .product(name: "MoECore", package: "MoEServe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ServerBenchmarks",
            dependencies: [
                .product(name: "Server", package: "MoEServe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "ServerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

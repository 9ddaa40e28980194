// swift-tools-version: 6.0
// MoEServe: a continuous-batching serving scheduler, an expert-parallel placement planner and a
// discrete-event cluster simulator for mixture-of-experts models. Targets are listed lowest first;
// see Docs/Architecture.md for what each one owns.
import PackageDescription

let package = Package(
    name: "MoEServe",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MoECore", targets: ["MoECore"]),
        .library(name: "Topology", targets: ["Topology"]),
        .library(name: "Workload", targets: ["Workload"]),
        .library(name: "PerfModel", targets: ["PerfModel"]),
        .library(name: "Scheduling", targets: ["Scheduling"]),
        .library(name: "Deployment", targets: ["Deployment"]),
        .library(name: "Placement", targets: ["Placement"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Tuning", targets: ["Tuning"]),
        .executable(name: "moeserve", targets: ["moeserve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .systemLibrary(name: "CNUMA", pkgConfig: "numa", providers: [.apt(["libnuma-dev"])]),
        .target(name: "MoECore", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Topology", dependencies: ["CNUMA", "MoECore"]),
        .target(
            name: "Workload",
            dependencies: ["MoECore", .product(name: "HeapModule", package: "swift-collections")]
        ),
        .target(name: "PerfModel", dependencies: ["MoECore", "Topology"]),
        .target(
            name: "Scheduling",
            dependencies: [
                "MoECore",
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // A scenario's instances made runnable: shared by the simulator and the engine.
        .target(name: "Deployment", dependencies: ["MoECore", "Topology", "PerfModel", "Scheduling"]),
        .target(
            name: "Placement",
            dependencies: [
                "MoECore", "Topology", "PerfModel", .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // What a run measured and how it is shown: request metrics in bounded memory, utilization series,
        // cost; JSON, CSV and terminal renderings. Fed by the simulator (and by measured records).
        .target(
            name: "Reports",
            dependencies: [
                "MoECore", "Scheduling", "Deployment", .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The discrete-event cluster simulator: a router in front of instances on a virtual clock.
        .target(
            name: "Simulation",
            dependencies: [
                "MoECore", "Topology", "Deployment", "Scheduling", "Workload", "Reports", "Placement",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Real-time serving on Dispatch: the scheduler core driven by a model backend (the mock MoE backend).
        .target(
            name: "Engine",
            dependencies: [
                "Deployment", "Scheduling", "PerfModel", "Topology", "MoECore",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Sweeps over scenario knobs, the Pareto frontier of cost against SLO attainment, capacity planning and
        // the cost waterfall, each configuration one simulation, run on every core.
        .target(name: "Tuning", dependencies: ["MoECore", "Deployment", "Simulation", "Reports", "Workload"]),
        // Test-only helpers (locating `shared/` and the package's files); not a product.
        .target(name: "TestSupport"),
        .executableTarget(
            name: "moeserve",
            dependencies: [
                "MoECore", "Topology", "PerfModel", "Workload", "Deployment", "Placement", "Reports", "Simulation",
                "Tuning", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MoECoreTests", dependencies: ["MoECore", "TestSupport"]),
        .testTarget(name: "TopologyTests", dependencies: ["Topology"]),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "TestSupport"]),
        // Runs the built `moeserve` binary end to end (SwiftPM builds it before the tests).
        .testTarget(name: "moeserveTests"),
        .testTarget(
            name: "PerfModelTests", dependencies: ["PerfModel", "MoECore", "Topology", "Placement", "TestSupport"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "MoECore"]),
        .testTarget(
            name: "DeploymentTests",
            dependencies: ["Deployment", "MoECore", "PerfModel", "Scheduling", "TestSupport"]
        ),
        .testTarget(
            name: "PlacementTests", dependencies: ["Placement", "PerfModel", "MoECore", "Topology", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "MoECore", "Deployment", "TestSupport"]),
        .testTarget(
            name: "SimulationTests",
            dependencies: ["Simulation", "Reports", "Deployment", "Workload", "MoECore", "TestSupport"]
        ),
        .testTarget(name: "TuningTests", dependencies: ["Tuning", "MoECore", "Reports", "TestSupport"]),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Engine", "Simulation", "Workload", "Deployment", "MoECore", "PerfModel", "Scheduling", "Topology",
                "TestSupport",
            ]
        ),
    ]
)

// swift-tools-version: 6.1
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
        .library(name: "Server", targets: ["Server"]),
        .library(name: "Replay", targets: ["Replay"]),
        .executable(name: "moeserve", targets: ["moeserve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // The HTTP front only (Server, Replay): Hummingbird without its default traits (swift-configuration,
        // full Foundation) builds about 30 s faster and needs neither.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
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
        // The OpenAI-compatible HTTP front of the engine (`moeserve serve`): completions, chat completions,
        // models, health and Prometheus metrics. The only target that pays for Hummingbird.
        .target(
            name: "Server",
            dependencies: [
                "Engine", "Deployment", "Scheduling", "Simulation", "MoECore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A trace replayed against any OpenAI-compatible server (`moeserve replay`): a streaming HTTP/1.1
        // client on SwiftNIO, latencies measured from the server-sent events, reported like a simulation.
        .target(
            name: "Replay",
            dependencies: [
                "MoECore", "Workload", "Reports",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // Test-only helpers (locating `shared/` and the package's files); not a product.
        .target(name: "TestSupport"),
        .executableTarget(
            name: "moeserve",
            dependencies: [
                "MoECore", "Topology", "PerfModel", "Workload", "Deployment", "Placement", "Reports", "Simulation",
                "Tuning", "Engine", "Server", "Replay", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MoECoreTests", dependencies: ["MoECore", "TestSupport"]),
        .testTarget(name: "TopologyTests", dependencies: ["Topology"]),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "TestSupport"]),
        // Runs the built `moeserve` binary end to end (SwiftPM builds it before the tests).
        .testTarget(name: "moeserveTests", dependencies: ["TestSupport"]),
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
        // The HTTP front end to end: request parsing and fuzzing, and the built binary over loopback (the
        // official `openai` Python package, replay against simulate, overload, disconnects, shutdown).
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Replay", "Engine", "Reports", "MoECore", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            exclude: ["Python"]
        ),
    ]
)

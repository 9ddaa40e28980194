import Benchmark
import Deployment
import Foundation
import MoECore
import Simulation

/// The MoEServe checkout, from this file's path (`Benchmarks/SimulationBenchmarks/SimulationBenchmarks.swift`).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The traces replayed: the shipped slices always, the full traces when `shared/` sits beside the checkout
/// (or one level further up, as for a worktree).
let traces: [(name: String, path: String)] = {
    var traces = [
        ("Azure conversation slice (2,867 requests)", "Simulations/traces/AzureLLMInferenceTrace_conv_first10min.csv"),
        ("Mooncake conversation slice (1,750 requests)", "Simulations/traces/mooncake_conversation_first10min.jsonl"),
    ].map { ($0.0, repository.appendingPathComponent($0.1).path) }
    for shared in ["../shared", "../../shared"] {
        let root = repository.appendingPathComponent(shared).standardizedFileURL.path + "/traces"
        guard FileManager.default.fileExists(atPath: root) else { continue }
        traces += [
            ("Azure conversation trace (19,366 requests)", root + "/azure-llm-2023/AzureLLMInferenceTrace_conv.csv"),
            ("Mooncake conversation trace (12,031 requests)", root + "/mooncake-fast25/conversation_trace.jsonl"),
        ]
        break
    }
    return traces
}()

/// The default scenario's cluster (DeepSeek-V3, two EP16 instances on four H800 nodes) replaying `trace`,
/// with its HBM prefix caches only, or also its shared context cache on disk.
func simulation(replaying trace: String, contextCache: Bool = false) -> ClusterSimulation {
    do {
        var scenario = try Scenario.load(file: repository.appendingPathComponent("Simulations/default.yaml").path)
        scenario.workload.source = .trace(path: trace)
        scenario.workload.duration = nil
        if !contextCache { scenario.contextCache = nil }
        return try ClusterSimulation(plan: DeploymentPlan(scenario: scenario))
    } catch {
        fatalError("benchmark setup failed: \(error)")
    }
}

/// A shipped scenario cut to its first `requests` requests.
func simulation(ofShipped file: String, requests: Int) -> ClusterSimulation {
    do {
        var scenario = try Scenario.load(file: repository.appendingPathComponent("Simulations/\(file)").path)
        scenario.workload.limit = requests
        return try ClusterSimulation(plan: DeploymentPlan(scenario: scenario))
    } catch {
        fatalError("benchmark setup failed: \(error)")
    }
}

/// Times whole runs of `prepared`, reporting simulated requests per wall-second as `requestRate`.
func measure(_ benchmark: Benchmark, _ prepared: ClusterSimulation, _ requestRate: BenchmarkMetric) {
    let clock = ContinuousClock()
    var requests = 0
    let start = clock.now
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        guard let report = try? prepared.run() else { fatalError("the benchmark's run failed") }
        requests += report.metrics.arrived
    }
    benchmark.stopMeasurement()
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    benchmark.measurement(requestRate, Int(Double(requests) / seconds))
}

let benchmarks: @Sendable () -> Void = {
    let requestRate = BenchmarkMetric.custom("simulated requests/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal, requestRate], timeUnits: .milliseconds,
        maxDuration: .seconds(10), maxIterations: 30)

    for (name, path) in traces {
        // One iteration replays the whole trace through a fresh cluster, reading the file as it goes.
        Benchmark("replay \(name)") { benchmark in
            measure(benchmark, simulation(replaying: path), requestRate)
        }
    }
    // The cluster's dynamics: the shared context cache on the Mooncake slice, and DeepSeek's prefill/decode
    // layout (three EP32 prefill units, one EP144 decode unit) with its KV transfers and balancers.
    Benchmark("replay Mooncake conversation slice with the shared context cache") { benchmark in
        let slice = repository.appendingPathComponent("Simulations/traces/mooncake_conversation_first10min.jsonl")
        measure(benchmark, simulation(replaying: slice.path, contextCache: true), requestRate)
    }
    Benchmark("disaggregated DeepSeek layout, first 50,000 requests") { benchmark in
        measure(benchmark, simulation(ofShipped: "deepseek-v3-h800-disaggregated.yaml", requests: 50_000), requestRate)
    }
}

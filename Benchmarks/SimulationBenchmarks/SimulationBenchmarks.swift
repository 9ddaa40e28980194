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

/// The default scenario's cluster (DeepSeek-V3, two EP16 instances on four H800 nodes) replaying `trace`.
func simulation(replaying trace: String) -> ClusterSimulation {
    do {
        var scenario = try Scenario.load(file: repository.appendingPathComponent("Simulations/default.yaml").path)
        scenario.workload.source = .trace(path: trace)
        scenario.workload.duration = nil
        return try ClusterSimulation(plan: DeploymentPlan(scenario: scenario))
    } catch {
        fatalError("benchmark setup failed: \(error)")
    }
}

let benchmarks: @Sendable () -> Void = {
    let requestRate = BenchmarkMetric.custom("simulated requests/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal, requestRate], timeUnits: .milliseconds,
        maxDuration: .seconds(10), maxIterations: 30)

    for (name, path) in traces {
        // One iteration replays the whole trace through a fresh cluster, reading the file as it goes.
        Benchmark("replay \(name)") { benchmark in
            let prepared = simulation(replaying: path)
            let clock = ContinuousClock()
            var requests = 0
            let start = clock.now
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                guard let report = try? prepared.run() else { fatalError("replay of \(path) failed") }
                requests += report.metrics.arrived
            }
            benchmark.stopMeasurement()
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            benchmark.measurement(requestRate, Int(Double(requests) / seconds))
        }
    }
}

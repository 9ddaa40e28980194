import Benchmark
import Deployment
import Engine
import Foundation
import MoECore

/// The engine's own cost and the mock backend's speed, on the shipped DeepSeek-V3 scenario
/// (`Simulations/default.yaml`: two colocated instances of 16 H800s).
///
/// - "engine loop, 256 running": one instance of the scenario and a backend that answers every step at once,
///   so the wall time is the engine alone; the custom metrics are the scheduling loop's critical path per
///   step (commit, schedule, hand-over) and the whole time from one step's hand-over to the next (the loop,
///   streaming 256 tokens, accounting, the hop back to the scheduling queue).
/// - "mock backend, time factor 0": the full mock (top-8 gating of every token over 58 layers, deterministic
///   tokens, 16 device threads per instance) as fast as it goes; the custom metric is output tokens per second.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock], timeUnits: .milliseconds, maxDuration: .seconds(20), maxIterations: 10)

    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    guard var scenario = try? Scenario.load(file: root.appendingPathComponent("Simulations/default.yaml").path),
        let plan = try? DeploymentPlan(scenario: scenario)
    else { fatalError("cannot load Simulations/default.yaml") }
    scenario.deployment[0].count = 1
    guard let onePlan = try? DeploymentPlan(scenario: scenario) else { fatalError("cannot build one instance") }

    let loopPerStep = BenchmarkMetric.custom("scheduling loop per step (ns)", useScalingFactor: false)
    let overheadPerStep = BenchmarkMetric.custom("engine overhead per step (ns)", useScalingFactor: false)
    Benchmark(
        "engine loop, 256 running, 200 decode steps",
        configuration: .init(metrics: [.wallClock, loopPerStep, overheadPerStep])
    ) { benchmark in
        guard let engine = try? ServingEngine(plan: onePlan, backend: ImmediateBackend()) else { fatalError("engine") }
        benchmark.startMeasurement()
        // 256 requests, each decoding 200 tokens after a short prompt.
        await run(engine, requests: 256, prompt: 64, output: 200)
        benchmark.stopMeasurement()
        let metrics = await engine.metrics()
        benchmark.measurement(loopPerStep, Int(metrics.schedulingTime.mean.map { $0 * 1e9 } ?? 0))
        benchmark.measurement(overheadPerStep, Int(metrics.stepOverhead.mean.map { $0 * 1e9 } ?? 0))
        await engine.shutdown()
    }

    let outputTokensPerSecond = BenchmarkMetric.custom("output tokens per second", useScalingFactor: false)
    Benchmark(
        "mock backend, time factor 0, 256 requests of 128 + 256 tokens",
        configuration: .init(metrics: [.wallClock, outputTokensPerSecond])
    ) { benchmark in
        guard let backend = try? MockMoEBackend(plan: plan, configuration: .init(seed: 1, timeFactor: 0)),
            let engine = try? ServingEngine(plan: plan, backend: backend)
        else { fatalError("engine") }
        let clock = ContinuousClock()
        let start = clock.now
        benchmark.startMeasurement()
        await run(engine, requests: 256, prompt: 128, output: 256)
        benchmark.stopMeasurement()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let generated = await engine.metrics().generationTokensTotal
        benchmark.measurement(outputTokensPerSecond, Int(Double(generated) / seconds))
        await engine.shutdown()
    }
}

/// Submits `requests` requests at once, with callbacks that only count (so that the measurement is the
/// engine's, not the consumers'), and waits for all of them to end.
func run(_ engine: ServingEngine, requests: Int, prompt: Int, output: Int) async {
    let ended = EndCounter(expected: requests)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        ended.onAllEnded = { continuation.resume() }
        for id in 0..<requests {
            let request = RequestSpec(id: RequestID(UInt64(id)), arrival: .zero, promptTokens: prompt, outputTokens: output)
            engine.submit(request) { event in
                if case .finished = event { ended.count() }
            }
        }
    }
}

/// Counts ended requests and calls back once all have. `@unchecked Sendable`: guarded by `lock`.
final class EndCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    var onAllEnded: (() -> Void)?

    init(expected: Int) { remaining = expected }

    func count() {
        lock.lock()
        remaining -= 1
        let done = remaining == 0 ? onAllEnded : nil
        lock.unlock()
        done?()
    }
}

/// A backend that answers every step at once (token `i` of a request is `i`; the last is end of
/// sequence), so that a step costs the engine's loop and nothing else.
struct ImmediateBackend: ModelBackend {
    func stagingBytes(for instance: InstancePlan) -> Int { 64 }

    func makeExecutor(for instance: InstancePlan, devices: [EngineDevice]) throws -> any InstanceExecutor {
        Executor()
    }

    struct Executor: InstanceExecutor {
        func execute(_ step: BackendStep, completion: @escaping @Sendable (Result<StepOutput, BackendFailure>) -> Void) {
            var tokens: [SampledToken] = []
            tokens.reserveCapacity(step.requests.count)
            for (entry, request) in zip(step.batch.entries, step.requests) where entry.samplesToken {
                let index = request.sampledIndex(in: entry)
                tokens.append(
                    SampledToken(
                        id: request.id, token: UInt32(index), isEndOfSequence: index == request.outputTokens - 1))
            }
            completion(.success(StepOutput(tokens: tokens, routing: nil, deviceTime: .zero)))
        }
    }
}

import Benchmark
import MoECore
import Scheduling

/// A scheduler holding `running` requests that have all finished prefill and are decoding, with KV room
/// for millions of further steps so a benchmark never runs into preemption or completion.
func decodingScheduler(running: Int) -> BatchScheduler {
    let configuration = SchedulerConfiguration(maxNumBatchedTokens: 8192, maxNumSeqs: running)
    let kvCache = KVCacheConfiguration(totalBlocks: 1 << 40, bytesPerToken: Bytes(70_272))
    guard var scheduler = try? BatchScheduler(configuration: configuration, kvCache: kvCache) else {
        fatalError("benchmark configuration rejected")
    }
    for index in 0..<running {
        let request = RequestSpec(
            id: RequestID(UInt64(index)), arrival: .zero, promptTokens: 1000 + index % 997, outputTokens: 1 << 30)
        guard scheduler.enqueue(request, now: .zero) == .admitted else { fatalError("benchmark request rejected") }
    }
    var now = SimTime.zero
    while let batch = scheduler.schedule(now: now) {
        now += .milliseconds(10)
        _ = scheduler.commit(batch, now: now)
        if batch.prefillSequences == 0 && batch.decodeSequences == running { break }
    }
    return scheduler
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], timeUnits: .nanoseconds, scalingFactor: .kilo,
        maxDuration: .seconds(3))

    // The wall clock covers a whole step (schedule and commit); this metric times schedule() alone.
    let scheduleOnly = BenchmarkMetric.custom("schedule() alone (ns)", useScalingFactor: false)
    Benchmark(
        "schedule+commit, 1024 running decoding",
        configuration: .init(metrics: Benchmark.defaultConfiguration.metrics + [scheduleOnly])
    ) { benchmark in
        var scheduler = decodingScheduler(running: 1024)
        var now = SimTime.seconds(100)
        let clock = ContinuousClock()
        var inSchedule = Duration.zero
        var steps = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let start = clock.now
            guard let batch = scheduler.schedule(now: now) else { fatalError("no batch") }
            inSchedule += clock.now - start
            steps += 1
            now += .milliseconds(20)
            blackHole(scheduler.commit(batch, now: now))
        }
        benchmark.stopMeasurement()
        let nanoseconds =
            inSchedule.components.seconds * 1_000_000_000 + inSchedule.components.attoseconds / 1_000_000_000
        benchmark.measurement(scheduleOnly, Int(nanoseconds) / max(1, steps))
    }

    Benchmark("decodeStepsUntilChange, 1024 running") { benchmark in
        let scheduler = decodingScheduler(running: 1024)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(scheduler.decodeStepsUntilChange()) }
    }

    for steps in [1, 1000] {
        Benchmark("advanceDecode k=\(steps), 1024 running") { benchmark in
            var scheduler = decodingScheduler(running: 1024)
            var now = SimTime.seconds(100)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                now += .milliseconds(20)
                blackHole(scheduler.advanceDecode(steps: steps, now: now))
            }
        }
    }
}

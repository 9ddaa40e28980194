import MoECore
import Scheduling

/// A request arriving at zero; the defaults keep tests short.
func request(
    _ id: UInt64, prompt: Int, output: Int = 4, hashes: [UInt64] = [], priority: Int = 0, ttft: SimDuration? = nil,
    arrival: SimTime = .zero
) -> RequestSpec {
    RequestSpec(
        id: RequestID(id), arrival: arrival, promptTokens: prompt, outputTokens: output, prefixBlockHashes: hashes,
        priority: priority, ttftSLO: ttft)
}

extension BatchScheduler {
    /// Runs schedule and commit until nothing is left to do; returns every batch and event.
    @discardableResult
    mutating func runToCompletion(from start: SimTime = .zero, maxSteps: Int = 100_000) -> (
        batches: [ScheduledBatch], events: [RequestEvent]
    ) {
        var batches: [ScheduledBatch] = []
        var events: [RequestEvent] = []
        var now = start
        while batches.count < maxSteps, let batch = schedule(now: now) {
            now += .milliseconds(10)
            events += commit(batch, now: now)
            batches.append(batch)
        }
        return (batches, events)
    }

    /// One schedule and commit; nil when there is nothing to run.
    mutating func step(at now: SimTime = .zero) -> (batch: ScheduledBatch, events: [RequestEvent])? {
        guard let batch = schedule(now: now) else { return nil }
        return (batch, commit(batch, now: now + .milliseconds(10)))
    }
}

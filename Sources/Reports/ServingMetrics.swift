import MoECore

/// Everything `vllm bench serve` measures, accumulated one ``RequestRecord`` at a time in bounded memory,
/// so a simulated day and a served hour are measured alike and no record needs to be kept.
///
/// Definitions follow vLLM's `benchmarks/serve.py`: tokens and latencies count completed requests only;
/// TPOT is `(e2e - ttft) / (output - 1)` per request of two or more tokens; ITL is every gap between two
/// consecutive output tokens of a request (``recordInterTokenGaps(_:count:)``, which records have no room
/// for); a request is good when it meets every objective set (TTFT, TPOT).
public struct ServingMetrics: Sendable {
    /// The objectives goodput is judged against.
    public let objectives: ScenarioSLO
    /// Requests seen in all.
    public private(set) var arrived = 0
    /// Requests that produced all their output tokens.
    public private(set) var completed = 0
    /// Requests refused on arrival.
    public private(set) var rejected = 0
    /// Requests accepted that could not finish.
    public private(set) var failed = 0
    /// Requests withdrawn by their client.
    public private(set) var cancelled = 0
    /// Completed requests that met every objective.
    public private(set) var good = 0
    /// Prompt tokens of completed requests.
    public private(set) var inputTokens = 0
    /// Of those, tokens served from a prefix cache.
    public private(set) var cachedInputTokens = 0
    /// Of the cached tokens, those loaded from a host-DRAM tier.
    public private(set) var hostCachedInputTokens = 0
    /// Of the cached tokens, those loaded from disk (an instance's own tier or the shared context cache).
    public private(set) var diskCachedInputTokens = 0
    /// Output tokens of completed requests.
    public private(set) var outputTokens = 0
    /// The earliest arrival seen.
    public private(set) var firstArrival: SimTime?
    /// The latest end seen.
    public private(set) var lastEnd: SimTime?
    /// Time to first token of completed requests.
    public private(set) var ttft: LatencyDistribution
    /// Time per output token after the first, of completed requests of two or more tokens.
    public private(set) var tpot: LatencyDistribution
    /// Gaps between consecutive output tokens.
    public private(set) var itl: LatencyDistribution
    /// End-to-end latency of completed requests.
    public private(set) var e2el: LatencyDistribution
    /// Waiting time before a completed request was first scheduled.
    public private(set) var queueTime: LatencyDistribution

    /// Empty metrics judging goodput against `objectives`; `exactCapacity` is passed to every distribution.
    public init(objectives: ScenarioSLO, exactCapacity: Int = 1 << 16) {
        self.objectives = objectives
        ttft = LatencyDistribution(exactCapacity: exactCapacity)
        tpot = LatencyDistribution(exactCapacity: exactCapacity)
        itl = LatencyDistribution(exactCapacity: exactCapacity)
        e2el = LatencyDistribution(exactCapacity: exactCapacity)
        queueTime = LatencyDistribution(exactCapacity: exactCapacity)
    }

    /// Accounts one request that has left the system.
    public mutating func record(_ record: RequestRecord) {
        arrived += 1
        firstArrival = min(firstArrival ?? record.arrival, record.arrival)
        lastEnd = max(lastEnd ?? record.endedAt, record.endedAt)
        switch record.outcome {
        case .rejected: rejected += 1
        case .failed: failed += 1
        case .cancelled: cancelled += 1
        case .completed:
            completed += 1
            inputTokens += record.promptTokens
            cachedInputTokens += record.cachedPromptTokens
            hostCachedInputTokens += record.hostCachedPromptTokens
            diskCachedInputTokens += record.diskCachedPromptTokens
            outputTokens += record.outputTokens
            if let value = record.ttft { ttft.record(value) }
            if let value = record.tpot { tpot.record(value) }
            if let value = record.e2e { e2el.record(value) }
            if let value = record.queueTime { queueTime.record(value) }
            if meetsObjectives(record) { good += 1 }
        }
    }

    /// Records `count` gaps of `gap` between consecutive output tokens (a decode step of `count` requests).
    public mutating func recordInterTokenGaps(_ gap: SimDuration, count: Int) {
        itl.record(gap, count: count)
    }

    /// From the clock's origin (the workload's start) to the last request's end: vLLM's benchmark
    /// duration, which runs from the benchmark's start to its last response. Zero before any record.
    public var duration: SimDuration { lastEnd.map { $0 - .zero } ?? .zero }

    /// Whether any objective is set (vLLM reports goodput only then).
    public var hasObjectives: Bool { objectives.ttft != nil || objectives.tpot != nil }

    /// Whether a completed request met every objective (vLLM counts a one-token request's TPOT as 0).
    private func meetsObjectives(_ record: RequestRecord) -> Bool {
        if let objective = objectives.ttft, let ttft = record.ttft, ttft > objective { return false }
        if let objective = objectives.tpot, let tpot = record.tpot, tpot > objective { return false }
        return true
    }
}

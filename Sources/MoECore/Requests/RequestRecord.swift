/// How a request left the system. Every request ends in exactly one of these; none is dropped silently.
public enum RequestOutcome: Hashable, Sendable {
    /// It produced all its output tokens.
    case completed
    /// It was refused on arrival (queue full, predicted to miss its objective, too large, malformed).
    case rejected(reason: String)
    /// It was accepted but could not finish (a device or node failed and it could not be retried).
    case failed(reason: String)
    /// The client withdrew it before it finished.
    case cancelled
}

/// One request's life as a driver of the scheduler saw it, on either clock: the simulator's virtual time
/// or the engine's wall time since it started. Reports and metrics are built from these, so a simulated
/// run and a served one are measured the same way.
public struct RequestRecord: Hashable, Sendable {
    /// The request.
    public var id: RequestID
    /// When it arrived.
    public var arrival: SimTime
    /// Prompt tokens.
    public var promptTokens: Int
    /// Prompt tokens served from a prefix cache (any tier) rather than computed.
    public var cachedPromptTokens: Int
    /// Of those, the tokens loaded from a host-DRAM tier.
    public var hostCachedPromptTokens = 0
    /// Of those, the tokens loaded from a disk tier or the cluster's shared context cache.
    public var diskCachedPromptTokens = 0
    /// Output tokens produced (for a completed request, all it asked for).
    public var outputTokens: Int
    /// When it first left the waiting queue (its first tokens were scheduled), if it did.
    public var scheduledAt: SimTime?
    /// When its first output token was produced, if it was.
    public var firstTokenAt: SimTime?
    /// When it left: finished, failed or cancelled; for a rejection, when it was refused.
    public var endedAt: SimTime
    /// How it left.
    public var outcome: RequestOutcome
    /// The instance that served it (index in the deployment), or nil if it never reached one.
    public var instance: Int?

    /// Creates a record.
    public init(
        id: RequestID, arrival: SimTime, promptTokens: Int, cachedPromptTokens: Int = 0, outputTokens: Int,
        scheduledAt: SimTime? = nil, firstTokenAt: SimTime?, endedAt: SimTime, outcome: RequestOutcome, instance: Int?
    ) {
        self.id = id
        self.arrival = arrival
        self.promptTokens = promptTokens
        self.cachedPromptTokens = cachedPromptTokens
        self.outputTokens = outputTokens
        self.scheduledAt = scheduledAt
        self.firstTokenAt = firstTokenAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.instance = instance
    }

    /// Time spent waiting before its first tokens were scheduled.
    public var queueTime: SimDuration? { scheduledAt.map { $0 - arrival } }
    /// Time to first token.
    public var ttft: SimDuration? { firstTokenAt.map { $0 - arrival } }
    /// End-to-end latency of a completed request.
    public var e2e: SimDuration? { outcome == .completed ? endedAt - arrival : nil }
    /// Mean time per output token after the first (vLLM's TPOT), for a completed request of two or more
    /// tokens.
    public var tpot: SimDuration? {
        guard outcome == .completed, outputTokens > 1, let first = firstTokenAt else { return nil }
        return SimDuration(nanoseconds: (endedAt - first).nanoseconds / Int64(outputTokens - 1))
    }
}

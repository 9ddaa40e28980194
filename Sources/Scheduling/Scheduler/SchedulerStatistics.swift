/// What one scheduling step looked like, for metrics and time series.
public struct SchedulerStatistics: Sendable, Hashable {
    /// Requests running after the step was scheduled.
    public var running: Int
    /// Requests waiting after the step was scheduled.
    public var waiting: Int
    /// Preemptions since the scheduler was created.
    public var preemptionsTotal: Int
    /// Fraction of HBM KV blocks held by running requests (cached but unreferenced blocks count as free).
    public var kvUsage: Double
    /// Prefix-cache hits admitted in this step, in tokens, by the tier they came from.
    public var cacheHitTokens: TierTokens
    /// Tokens computed in this step.
    public var batchTokens: Int

    /// Creates a record.
    public init(
        running: Int, waiting: Int, preemptionsTotal: Int, kvUsage: Double, cacheHitTokens: TierTokens,
        batchTokens: Int
    ) {
        self.running = running
        self.waiting = waiting
        self.preemptionsTotal = preemptionsTotal
        self.kvUsage = kvUsage
        self.cacheHitTokens = cacheHitTokens
        self.batchTokens = batchTokens
    }
}

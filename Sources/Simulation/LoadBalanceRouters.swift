import MoECore

/// DeepSeek's prefill load balancer ("Day 6: DeepSeek-V3/R1 inference system overview", 2025-03-01): it
/// balances core-attention computation across instances and equalizes the input tokens each receives (the
/// dispatch send load). Each instance scores its pending core-attention work and its pending prefill tokens,
/// each over the mean of the candidates, and the request goes to the lowest sum; ties (idle instances) go to
/// each instance in turn.
public struct PrefillBalanceRouter: Router, Sendable {
    private var turn = 0

    /// A router.
    public init() {}

    public var readsSchedulerState: Bool { true }

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        defer { turn &+= 1 }
        let count = Double(instances.count)
        let meanAttention = instances.reduce(0) { $0 + $1.pendingAttentionPairs } / count
        let meanTokens = Double(instances.reduce(0) { $0 + $1.pendingPrefillTokens }) / count
        return LeastOutstandingWorkRouter.lowest(instances, from: turn) { load in
            Self.relative(load.pendingAttentionPairs, meanAttention)
                + Self.relative(Double(load.pendingPrefillTokens), meanTokens)
        }
    }

    /// `value` over `mean`, 0 when the mean is 0 (every candidate idle on that measure).
    static func relative(_ value: Double, _ mean: Double) -> Double { mean > 0 ? value / mean : 0 }
}

/// DeepSeek's decode load balancer (same source): it balances KV-cache usage (core attention) and equalizes
/// request counts (dispatch send load). Each instance scores its KV usage, counting the KV cache on its way
/// to it, and its requests, counting those on their way, each over the mean of the candidates; the request
/// goes to the lowest sum, ties to each instance in turn.
public struct DecodeBalanceRouter: Router, Sendable {
    private var turn = 0

    /// A router.
    public init() {}

    public var readsSchedulerState: Bool { true }

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        defer { turn &+= 1 }
        func usage(_ load: InstanceLoad) -> Double {
            (Double(load.usedKVBlocks) + Double(load.incomingKVTokens) / Double(load.blockSize))
                / Double(max(load.totalKVBlocks, 1))
        }
        func requests(_ load: InstanceLoad) -> Double {
            Double(load.runningRequests + load.waitingRequests + load.incomingRequests)
        }
        let count = Double(instances.count)
        let meanUsage = instances.reduce(0) { $0 + usage($1) } / count
        let meanRequests = instances.reduce(0) { $0 + requests($1) } / count
        return LeastOutstandingWorkRouter.lowest(instances, from: turn) { load in
            PrefillBalanceRouter.relative(usage(load), meanUsage)
                + PrefillBalanceRouter.relative(requests(load), meanRequests)
        }
    }
}

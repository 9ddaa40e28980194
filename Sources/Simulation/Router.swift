import MoECore

/// One instance's load, as the cluster keeps it for its routers.
public struct InstanceLoad: Sendable, Hashable {
    /// The instance's index in the deployment.
    public var index: Int
    /// What it serves.
    public var role: InstanceRole
    /// Tokens still to process: prompts not yet prefilled plus outputs not yet generated.
    public var outstandingTokens: Int
    /// Requests holding KV cache.
    public var runningRequests: Int
    /// Requests queued.
    public var waitingRequests: Int
    /// Prompt tokens its queued and running requests have still to compute before their first tokens
    /// (read for routers that ask, ``Router/readsSchedulerState``).
    public var pendingPrefillTokens = 0
    /// Core-attention work of the prompts of its requests without a first token: causal query-key pairs,
    /// `n*c + n*(n+1)/2` for `n` prompt tokens after `c` found in the shared context cache on arrival (a whole
    /// prompt's, until its first token).
    public var pendingAttentionPairs = 0.0
    /// HBM KV blocks its running requests hold (read for routers that ask).
    public var usedKVBlocks = 0
    /// HBM KV blocks in all.
    public var totalKVBlocks = 1
    /// HBM blocks holding shareable prefix blocks (referenced or kept for reuse): the size of its prefix cache
    /// (read for routers that ask).
    public var cachedKVBlocks = 0
    /// Tokens per KV block.
    public var blockSize = 64
    /// Requests whose KV cache is on its way to it (decode instances of a disaggregated deployment).
    public var incomingRequests = 0
    /// Tokens of KV cache on its way to it.
    public var incomingKVTokens = 0
    /// For the request being routed: leading prompt tokens its prefix cache holds (HBM or host); filled only
    /// for routers that read caches (``Router/readsCachedPrefixes``).
    public var cachedPrefixTokens = 0

    /// An idle instance.
    public init(index: Int, role: InstanceRole) {
        self.index = index
        self.role = role
        outstandingTokens = 0
        runningRequests = 0
        waitingRequests = 0
    }
}

/// Chooses the instance each arriving request is sent to.
///
/// The cluster calls ``route(_:among:)`` once per request and stage (a disaggregated deployment routes a
/// request twice: to a prefill instance on arrival, to a decode instance when its prefill ends), at that
/// virtual time, with the current load of the instances of that stage able to take it. A router may keep
/// state (a turn), and must be deterministic: the same calls give the same answers.
public protocol Router {
    /// The position in `instances` (never empty) of the instance `request` goes to.
    mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int
    /// Whether the scheduler figures of ``InstanceLoad`` (pending prefill, KV blocks used and cached) must be
    /// read before each call; the cluster keeps only the request counts and outstanding tokens current on
    /// every event.
    var readsSchedulerState: Bool { get }
    /// Whether ``InstanceLoad/cachedPrefixTokens`` must be filled before each call (it costs a prefix
    /// lookup per instance).
    var readsCachedPrefixes: Bool { get }
}

extension Router {
    /// Routers read no scheduler figures unless they say so.
    public var readsSchedulerState: Bool { false }
    /// Routers read no caches unless they say so.
    public var readsCachedPrefixes: Bool { false }
}

/// Sends requests to each instance in turn.
public struct RoundRobinRouter: Router, Sendable {
    private var turn = 0

    /// A router starting with the first instance.
    public init() {}

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        defer { turn += 1 }
        return turn % instances.count
    }
}

/// Sends each request to the instance with the fewest outstanding tokens (the first such on ties):
/// join-the-shortest-queue with the queue measured in work rather than requests, so a long prompt counts
/// for what it costs.
public struct LeastOutstandingWorkRouter: Router, Sendable {
    /// A router.
    public init() {}

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        Self.lowest(instances) { Double($0.outstandingTokens) }
    }

    /// The position of the instance with the lowest `cost`; on ties the first at or after position `start`
    /// (wrapping around), so a caller that moves `start` on spreads ties instead of piling them on one instance.
    @inline(__always)
    static func lowest(_ instances: [InstanceLoad], from start: Int = 0, cost: (InstanceLoad) -> Double) -> Int {
        let first = start % instances.count
        var best = first
        var bestCost = cost(instances[first])
        for position in (first + 1)..<instances.count {
            let value = cost(instances[position])
            if value < bestCost {
                best = position
                bestCost = value
            }
        }
        for position in 0..<first {
            let value = cost(instances[position])
            if value < bestCost {
                best = position
                bestCost = value
            }
        }
        return best
    }
}

extension RouterKind {
    /// A fresh router of this kind.
    public func makeRouter() -> any Router {
        switch self {
        case .roundRobin: RoundRobinRouter()
        case .leastOutstandingWork: LeastOutstandingWorkRouter()
        case .cacheAware: CacheAwareRouter()
        case .kvCost: KVCostRouter()
        case .prefillBalance: PrefillBalanceRouter()
        case .decodeBalance: DecodeBalanceRouter()
        }
    }
}

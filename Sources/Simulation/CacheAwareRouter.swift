import MoECore

/// SGLang router's cache-aware policy (sgl-project/sglang, `sgl-router`, `policies/cache_aware.rs`, with the
/// library defaults of `CacheAwareConfig`): two tiers.
///
/// 1. **Load balance** when the instances are out of balance, that is when the busiest has more than
///    `balanceAbsoluteThreshold` (32) requests more than the least busy *and* more than
///    `balanceRelativeThreshold` (1.1) times as many: the least busy instance (running plus queued requests).
/// 2. **Cache affinity** otherwise: the instance holding the longest prefix of the prompt, when that prefix
///    is more than `cacheThreshold` (0.5) of the prompt; else the instance with the smallest prefix cache
///    (the most room for a new one).
///
/// SGLang's router keeps an approximate radix tree of the prompts it sent each worker; this router reads each
/// instance's cache exactly (as Dynamo does with its workers' KV events). Ties go to the first instance.
public struct CacheAwareRouter: Router, Sendable {
    /// Share of the prompt an instance must hold for affinity to decide.
    public var cacheThreshold: Double
    /// Request-count gap beyond which load decides.
    public var balanceAbsoluteThreshold: Int
    /// Request-count ratio beyond which load decides.
    public var balanceRelativeThreshold: Double

    /// A router with SGLang's defaults.
    public init(
        cacheThreshold: Double = 0.5, balanceAbsoluteThreshold: Int = 32, balanceRelativeThreshold: Double = 1.1
    ) {
        self.cacheThreshold = cacheThreshold
        self.balanceAbsoluteThreshold = balanceAbsoluteThreshold
        self.balanceRelativeThreshold = balanceRelativeThreshold
    }

    public var readsSchedulerState: Bool { true }
    public var readsCachedPrefixes: Bool { true }

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        func requests(_ load: InstanceLoad) -> Int { load.runningRequests + load.waitingRequests }
        let counts = instances.map(requests)
        let busiest = counts.max() ?? 0
        let idlest = counts.min() ?? 0
        if busiest - idlest > balanceAbsoluteThreshold && Double(busiest) > balanceRelativeThreshold * Double(idlest) {
            return LeastOutstandingWorkRouter.lowest(instances) { Double(requests($0)) }
        }
        let best = LeastOutstandingWorkRouter.lowest(instances) { -Double($0.cachedPrefixTokens) }
        if Double(instances[best].cachedPrefixTokens) > cacheThreshold * Double(request.promptTokens) { return best }
        return LeastOutstandingWorkRouter.lowest(instances) { Double($0.cachedKVBlocks) }
    }
}

/// NVIDIA Dynamo KV router's cost (docs "KV Router", section "Cost Function"), with its default weight and
/// temperature 0 (deterministic):
///
///     cost = overlapWeight x prefill blocks + decode blocks
///
/// where prefill blocks are the prompt tokens the instance would still compute, its pending prefill plus
/// this prompt less the prefix it holds, and decode blocks are the KV blocks its running requests hold plus
/// this request's. Both are counted in tokens here (every instance of a scenario has the same block size, so
/// the order is the same). The instance of lowest cost wins, the first on ties. Affinity is one term among
/// loads of the same unit, so on long multi-turn prompts the KV held by running requests weighs as much as
/// the prefix cached.
public struct KVCostRouter: Router, Sendable {
    /// Weight of prefill work against decode load (Dynamo's `--kv-overlap-score-weight`, default 1).
    public var overlapWeight: Double

    /// A router with Dynamo's default weight.
    public init(overlapWeight: Double = 1) { self.overlapWeight = overlapWeight }

    public var readsSchedulerState: Bool { true }
    public var readsCachedPrefixes: Bool { true }

    public mutating func route(_ request: RequestSpec, among instances: [InstanceLoad]) -> Int {
        let prompt = Double(request.promptTokens)
        return LeastOutstandingWorkRouter.lowest(instances) { load in
            let prefill = Double(load.pendingPrefillTokens) + prompt - Double(load.cachedPrefixTokens)
            let decode = Double(load.usedKVBlocks * load.blockSize) + prompt
            return overlapWeight * prefill + decode
        }
    }
}

import MoECore

/// Sends a request where most of its prompt is already cached, without piling onto one instance: the
/// cost of NVIDIA Dynamo's KV router (docs "KV Router", section "Cost Function"), with its default weight
/// and temperature 0 (deterministic):
///
///     cost = overlapWeight x prefill blocks + decode blocks
///
/// where prefill blocks are the prompt tokens the instance would still compute, its pending prefill plus
/// this prompt less the prefix it holds, and decode blocks are the KV blocks its running requests hold plus
/// this request's. Both are counted in tokens here (every instance of a scenario has the same block size, so
/// the order is the same). The instance of lowest cost wins, the first on ties.
///
/// The router sees every instance's cache exactly, as Dynamo does with KV events from its workers (SGLang's
/// router keeps an approximate radix tree of what it sent instead, and switches to the least loaded worker
/// when loads differ by more than 32 requests and 1.0001 times; Dynamo's weighted cost makes the same trade
/// continuously).
public struct CacheAwareRouter: Router, Sendable {
    /// Weight of prefill work against decode load (Dynamo's `--kv-overlap-score-weight`, default 1).
    public var overlapWeight: Double

    /// A router with Dynamo's default weight.
    public init(overlapWeight: Double = 1) { self.overlapWeight = overlapWeight }

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

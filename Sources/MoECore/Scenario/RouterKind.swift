/// How the cluster's router spreads arriving requests over the serving instances (the `router` and
/// `decode_router` keys).
public enum RouterKind: String, Hashable, Sendable, CaseIterable {
    /// Each instance in turn, whatever its load.
    case roundRobin = "round_robin"
    /// The instance with the fewest tokens still to process (prompts not yet prefilled plus outputs
    /// not yet generated): join-the-shortest-queue, with the queue measured in tokens.
    case leastOutstandingWork = "least_outstanding_work"
    /// SGLang router's cache-aware policy: the instance holding most of the prompt's prefix, unless the
    /// instances' request counts are out of balance, then the least loaded.
    case cacheAware = "cache_aware"
    /// NVIDIA Dynamo KV router's cost: prompt tokens left to prefill (after the instance's cached prefix)
    /// plus KV tokens the instance holds, lowest first.
    case kvCost = "kv_cost"
    /// DeepSeek's prefill load balancer: core-attention work and input tokens, each relative to the mean.
    case prefillBalance = "prefill_balance"
    /// DeepSeek's decode load balancer: KV-cache usage and request count, each relative to the mean.
    case decodeBalance = "decode_balance"
}

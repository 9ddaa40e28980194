import MoECore

/// What a router may read of a scheduler: the work it holds and which prompt prefixes its cache has.
extension BatchScheduler {
    /// Prompt tokens still to compute before first tokens, over every queued and running request (the
    /// prefill backlog that admission control and prefill balancers weigh).
    public var pendingPrefillTokens: Int { prefillBacklogTokens }

    /// HBM blocks held by running requests.
    public var usedBlocks: Int { kv.usedBlocks }

    /// HBM blocks holding shareable prefix blocks, referenced or kept for reuse: how much its prefix cache holds.
    public var cachedPrefixBlockCount: Int { kv.cachedBlocks }

    /// The chained hashes of `request`'s leading prompt blocks as a scheduler of `blockSize`-token blocks keys
    /// them (empty without prefix information or when the block sizes do not nest). Computed once per request,
    /// it serves every instance of that block size.
    public static func prefixBlockHashes(of request: RequestSpec, blockSize: Int) -> [UInt64] {
        guard
            PrefixBlockHashing.isCompatible(traceBlockTokens: request.prefixBlockTokens, blockSize: blockSize)
        else { return [] }
        return PrefixBlockHashing.blockHashes(
            traceHashes: request.prefixBlockHashes, traceBlockTokens: request.prefixBlockTokens,
            blockSize: blockSize, promptTokens: request.promptTokens)
    }

    /// How many leading blocks of `hashes` (from ``prefixBlockHashes(of:blockSize:)``) this scheduler's cache
    /// holds in HBM or host DRAM: the overlap a router that sees every instance's cache events counts
    /// (Dynamo's KV router). 0 with prefix caching off. O(blocks matched).
    public func cachedPrefixBlocks(_ hashes: [UInt64]) -> Int {
        guard kvCacheConfiguration.prefixCaching else { return 0 }
        var matched = 0
        for hash in hashes {
            guard let tier = kv.tier(of: hash), tier != .disk else { break }
            matched += 1
        }
        return matched
    }
}

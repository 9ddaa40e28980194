import MoECore

/// The chained hashes of a prompt's whole KV blocks, which the scheduler's prefix cache matches: two prompts
/// that start with the same tokens share their leading hashes, so a conversation's next turn, or a trace
/// replayed with Mooncake's shared blocks spelled out as tokens, hits the cache as it would on vLLM.
enum PromptBlockHashes {
    /// One hash per whole block of `blockTokens` tokens; each hash covers its block and every block before it.
    static func chained(_ tokens: [UInt32], blockTokens: Int) -> [UInt64] {
        precondition(blockTokens > 0, "blocks hold at least one token")
        var hashes: [UInt64] = []
        hashes.reserveCapacity(tokens.count / blockTokens)
        var hash: UInt64 = 0x6D6F_6573_6572_7665  // "moeserve"
        for block in 0..<(tokens.count / blockTokens) {
            for token in tokens[(block * blockTokens)..<((block + 1) * blockTokens)] {
                hash = SplitMix64.mix(hash ^ UInt64(token))
            }
            hashes.append(hash)
        }
        return hashes
    }
}

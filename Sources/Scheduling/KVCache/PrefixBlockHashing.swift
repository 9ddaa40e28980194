/// Maps a request's prefix hashes, given per trace block (512 tokens in Mooncake's `hash_ids`), onto the
/// scheduler's KV blocks (64 tokens by default).
///
/// A trace hash is chained: it names its block and every block before it. A KV block inside trace block `p`
/// at sub-position `s` gets `mix(hash[p], s)`, which is chained too; a KV block spanning several trace blocks
/// gets the hash of the last one it covers. Only whole KV blocks of the prompt are hashed, and never the
/// block holding the prompt's last token, because that token must be computed to produce the first output
/// token (vLLM caps prefix hits the same way).
enum PrefixBlockHashing {
    /// Whether trace blocks of `traceBlockTokens` and KV blocks of `blockSize` tokens nest (one divides the other).
    static func isCompatible(traceBlockTokens: Int, blockSize: Int) -> Bool {
        traceBlockTokens > 0 && (traceBlockTokens % blockSize == 0 || blockSize % traceBlockTokens == 0)
    }

    /// The chained hashes of the prompt's leading KV blocks.
    static func blockHashes(
        traceHashes: [UInt64], traceBlockTokens: Int, blockSize: Int, promptTokens: Int
    ) -> [UInt64] {
        guard !traceHashes.isEmpty else { return [] }
        let coveredTokens = min(traceHashes.count * traceBlockTokens, promptTokens - 1)
        let blocks = max(0, coveredTokens / blockSize)
        var hashes: [UInt64] = []
        hashes.reserveCapacity(blocks)
        for block in 0..<blocks {
            let lastToken = (block + 1) * blockSize - 1
            let traceBlock = lastToken / traceBlockTokens
            let subBlock = blockSize < traceBlockTokens ? (block * blockSize % traceBlockTokens) / blockSize : 0
            hashes.append(mix(traceHashes[traceBlock], UInt64(subBlock)))
        }
        return hashes
    }

    /// SplitMix64's finalizer over a hash and a sub-block index: deterministic, well spread.
    static func mix(_ hash: UInt64, _ subBlock: UInt64) -> UInt64 {
        var z = hash ^ ((subBlock &+ 1) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

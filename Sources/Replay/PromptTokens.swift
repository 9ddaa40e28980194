import MoECore

/// The token ids a replayed request sends as its prompt (`/v1/completions` takes token ids, so the server
/// counts exactly the trace's prompt length, whatever its tokenizer).
///
/// Where the trace gives prefix block hashes (Mooncake's `hash_ids`, one per 512 tokens), a block's tokens are
/// a function of its hash alone: requests that share a block in the trace send the same tokens there, so a
/// server with prefix caching finds the same hits the simulator does. Every other token is a function of the
/// request's id and position, shared with no other request. Ids lie in `100..<30_100`, inside every catalog
/// model's vocabulary and clear of the low ids tokenizers keep for special tokens.
enum PromptTokens {
    /// The lowest id sent.
    static let lowestID: UInt64 = 100
    /// How many ids are used.
    static let idRange: UInt64 = 30_000

    /// The prompt of `request`.
    static func ids(for request: RequestSpec) -> [Int] {
        let hashes = request.prefixBlockHashes
        let blockTokens = max(1, request.prefixBlockTokens)
        let own = SplitMix64.mix(request.id.value &+ 0x5245_504C_4159)  // "REPLAY"
        return (0..<request.promptTokens).map { position in
            let block = position / blockTokens
            let (seed, offset) =
                block < hashes.count ? (SplitMix64.mix(hashes[block]), position % blockTokens) : (own, position)
            let value = SplitMix64.mix(seed ^ (UInt64(offset) &+ 1) &* 0x9E37_79B9_7F4A_7C15)
            return Int(lowestID + value % idRange)
        }
    }
}

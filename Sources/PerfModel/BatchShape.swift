/// One step's work on a whole instance, as plain aggregates so a step costs O(1) however many
/// requests it holds.
public struct BatchShape: Hashable, Sendable {
    /// New prompt tokens computed this step (prefill chunks), over all data-parallel ranks.
    public var prefillTokens: Double
    /// The quadratic attention term of the prefill chunks: the sum over chunks of
    /// `chunkTokens × (earlierContext + chunkTokens / 2)`, where `earlierContext` counts the tokens
    /// before the chunk (a cached prefix or earlier chunks). It is the number of (query, key) pairs
    /// the causal attention of the chunk evaluates, up to the diagonal's half.
    public var prefillAttentionContextProduct: Double
    /// Sequences in decode this step.
    public var decodeSequences: Double
    /// Sum of the decode sequences' context lengths (tokens already in the KV cache).
    public var decodeContextTokens: Double

    /// Creates a batch from its aggregates.
    public init(
        prefillTokens: Double = 0, prefillAttentionContextProduct: Double = 0, decodeSequences: Double = 0,
        decodeContextTokens: Double = 0
    ) {
        self.prefillTokens = prefillTokens
        self.prefillAttentionContextProduct = prefillAttentionContextProduct
        self.decodeSequences = decodeSequences
        self.decodeContextTokens = decodeContextTokens
    }

    /// A prefill-only batch of `prompts` prompts of `promptTokens` each, with `cachedTokens` of each
    /// already in the cache (only the rest is computed).
    public static func prefill(prompts: Double, promptTokens: Double, cachedTokens: Double = 0) -> BatchShape {
        let chunk = max(promptTokens - cachedTokens, 0)
        return BatchShape(
            prefillTokens: prompts * chunk, prefillAttentionContextProduct: prompts * chunk * (cachedTokens + chunk / 2)
        )
    }

    /// A decode-only batch of `sequences` sequences of `context` tokens each.
    public static func decode(sequences: Double, context: Double) -> BatchShape {
        BatchShape(decodeSequences: sequences, decodeContextTokens: sequences * context)
    }
}

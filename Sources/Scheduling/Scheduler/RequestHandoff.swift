/// What a request brings to a scheduler besides its description, when it does not start from nothing:
/// output already produced elsewhere, KV cache arriving with it, or prompt blocks a cluster-wide context
/// cache holds. ``none`` is a new request.
///
/// - A request handed from a prefill instance to a decode instance arrives with one token generated and the
///   KV cache of its prompt (`transferredTokens == promptTokens`): it decodes from its first step.
/// - A request moved off a failed instance keeps the tokens it generated and arrives with no KV cache: its
///   prompt and those tokens are prefilled again (as after a recompute preemption), then it goes on.
/// - `contextCacheTokens` leading prompt tokens found in the cluster's shared context cache are served as
///   disk-tier prefix hits (loaded, not computed) when the instance reads that cache
///   (``KVCacheConfiguration/contextCacheLoadBandwidth``).
public struct RequestHandoff: Sendable, Hashable {
    /// Output tokens the request already produced elsewhere.
    public var generatedTokens: Int
    /// Tokens whose KV cache arrives with the request: 0, or the prompt plus the generated tokens but the
    /// last (the tokens a decode step attends to).
    public var transferredTokens: Int
    /// Leading prompt tokens held by the cluster's shared context cache.
    public var contextCacheTokens: Int

    /// Creates a hand-off.
    public init(generatedTokens: Int = 0, transferredTokens: Int = 0, contextCacheTokens: Int = 0) {
        self.generatedTokens = generatedTokens
        self.transferredTokens = transferredTokens
        self.contextCacheTokens = contextCacheTokens
    }

    /// A new request: nothing generated, nothing transferred, nothing in the context cache.
    public static let none = RequestHandoff()
}

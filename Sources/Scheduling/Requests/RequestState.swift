import MoECore

/// A request as the scheduler tracks it: the fixed description plus progress and the KV blocks it holds.
///
/// Progress follows vLLM V1, where prefill and decode are one thing: a step computes tokens from
/// `computedTokens` towards `knownTokens` (prompt plus generated); when it reaches them, a new token is
/// sampled. Decoding is the case of one token per step. A request preempted by recompute starts again from
/// zero computed tokens and recomputes prompt and output alike.
///
/// A plain value with no references (prefix hashes live in `BatchScheduler.prefixHashes`), so the running
/// array is copied and scanned without reference counting.
struct RequestState: Equatable, Sendable {
    let id: RequestID
    let promptTokens: Int
    let outputTokens: Int
    let priority: Int
    /// Position in the waiting queue under the configured policy; kept for the request's whole life.
    let queueKey: WaitingKey
    /// Number of the prompt's leading KV blocks that have a prefix hash (see ``PrefixBlockHashing``).
    let hashedBlocks: Int
    /// Tokens whose KV is in the cache (including prefix hits).
    var computedTokens = 0
    /// Output tokens sampled so far.
    var generatedTokens = 0
    /// Leading hashed blocks this request references in HBM.
    var sharedBlocks = 0
    /// HBM blocks this request owns alone.
    var privateBlocks = 0
    /// Blocks parked in the host tier while swapped out (0 unless preempted by swap).
    var swappedBlocks = 0
    /// Whether the KV cache of its `computedTokens` arrived with it (a prefill/decode hand-off) and is to be
    /// placed in newly allocated HBM blocks at admission, with no prefix lookup and no load from a tier.
    var kvArrived = false
    /// Leading hashed blocks the cluster's shared context cache holds (disk-tier hits beyond the local tiers).
    var contextCacheBlocks = 0

    init(spec: RequestSpec, queueKey: WaitingKey, hashedBlocks: Int) {
        id = spec.id
        promptTokens = spec.promptTokens
        outputTokens = spec.outputTokens
        priority = spec.priority
        self.queueKey = queueKey
        self.hashedBlocks = hashedBlocks
    }

    /// Prompt plus generated tokens: what a step may compute up to.
    var knownTokens: Int { promptTokens + generatedTokens }
    /// HBM blocks held.
    var heldBlocks: Int { sharedBlocks + privateBlocks }
    /// Whether the next step computes exactly the last sampled token.
    var isDecoding: Bool { generatedTokens > 0 && computedTokens == knownTokens - 1 }
    /// Whether all output tokens have been sampled.
    var isFinished: Bool { generatedTokens >= outputTokens }
    /// Prompt tokens still to compute before the first token (0 once it has one): the prefill backlog share.
    var prefillBacklog: Int { generatedTokens == 0 ? promptTokens - computedTokens : 0 }
}

/// The sort key of the waiting queue: smaller first. `rank` comes from the policy (0 for FCFS, minus the
/// priority, or the deadline in nanoseconds); `sequence` is the enqueue order, so equal ranks stay FCFS.
struct WaitingKey: Comparable, Hashable, Sendable, BitwiseCopyable {
    var rank: Int64
    var sequence: UInt64

    static func < (lhs: WaitingKey, rhs: WaitingKey) -> Bool {
        (lhs.rank, lhs.sequence) < (rhs.rank, rhs.sequence)
    }

    /// The key of `spec`, enqueued as number `sequence`, under `policy`.
    init(spec: RequestSpec, sequence: UInt64, policy: SchedulingPolicy) {
        self.sequence = sequence
        switch policy {
        case .fcfs:
            rank = 0
        case .priority:
            rank = -Int64(spec.priority)
        case .deadline:
            if let slo = spec.ttftSLO {
                rank = (spec.arrival + slo).nanosecondsSinceStart
            } else {
                rank = Int64.max
            }
        }
    }
}

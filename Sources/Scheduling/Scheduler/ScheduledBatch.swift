import MoECore

/// One step's work, as ``BatchScheduler/schedule(now:)`` decided it: which requests compute how many tokens,
/// who was preempted, and the aggregates a step-time model needs in O(1).
public struct ScheduledBatch: Sendable, Hashable {
    /// The step's number (0 for the scheduler's first); ``BatchScheduler/commit(_:now:)`` checks it.
    public var step: UInt64
    /// Per-request work, running requests first (in running order), then those admitted this step.
    public var entries: [BatchEntry]
    /// Requests preempted in this step, in order; they are waiting again.
    public var preempted: [RequestID]

    /// Tokens computed in all: prefill plus decode.
    public var totalTokens = 0
    /// New prompt (or recompute) tokens computed, excluding prefix-cache hits.
    public var prefillTokens = 0
    /// Requests computing more than their last sampled token (prefill chunks and recomputes).
    public var prefillSequences = 0
    /// Query-key pairs of causal attention over the prefill chunks: for a chunk of `n` new tokens after `c`
    /// tokens already in the cache, `n*c + n*(n+1)/2`. The quadratic part of prefill attention cost.
    public var prefillAttentionPairs = 0
    /// Requests decoding one token.
    public var decodeSequences = 0
    /// Sum over decoding requests of the tokens each attends to (its KV length including the new token).
    public var decodeContextTokens = 0
    /// Prefix-cache hits admitted this step, by tier. `host` and `disk` tokens must be loaded into HBM before
    /// the step (charge `KVCacheConfiguration.loadTime(tokens:from:)`); `hbm` tokens cost nothing.
    public var prefixHitTokens = TierTokens.zero
    /// Tokens of swapped-out requests copied back from the host tier this step.
    public var swapInTokens = 0
    /// Tokens of preempted requests copied out to the host tier this step.
    public var swapOutTokens = 0
    /// Counters after this step was scheduled.
    public var statistics: SchedulerStatistics

    /// Whether the step computes nothing (it only preempted).
    public var isEmpty: Bool { entries.isEmpty }
}

/// One request's share of a step.
public struct BatchEntry: Sendable, Hashable {
    /// The request.
    public var id: RequestID
    /// Tokens computed for it this step.
    public var newTokens: Int
    /// Tokens already in its KV cache before the step (including prefix hits).
    public var contextTokens: Int
    /// Whether it is decoding (one token after its last sampled one) rather than prefilling.
    public var isDecode: Bool
    /// Whether the step ends with a new output token for it.
    public var samplesToken: Bool
    /// Of `contextTokens`, the prefix hits loaded from the host tier when the request was admitted in this
    /// step (0 otherwise). 32 bits hold any prompt and keep the entry small.
    public var hostHitTokens: Int32 = 0
    /// Of `contextTokens`, the prefix hits loaded from the disk tier (or the shared context cache) when the
    /// request was admitted in this step (0 otherwise).
    public var diskHitTokens: Int32 = 0

    /// Creates an entry.
    public init(id: RequestID, newTokens: Int, contextTokens: Int, isDecode: Bool, samplesToken: Bool) {
        self.id = id
        self.newTokens = newTokens
        self.contextTokens = contextTokens
        self.isDecode = isDecode
        self.samplesToken = samplesToken
    }
}

extension ScheduledBatch {
    /// Adds `entry` and its share of the aggregates.
    mutating func append(_ entry: BatchEntry) {
        entries.append(entry)
        account(entry, sign: 1)
    }

    /// Removes the entry of `id` (its request was preempted after being scheduled) and its aggregates.
    mutating func removeEntry(of id: RequestID) {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return }
        account(entries.remove(at: index), sign: -1)
    }

    /// Adds (`sign` 1) or removes (`sign` -1) `entry`'s share of the aggregates.
    mutating func account(_ entry: BatchEntry, sign: Int) {
        let n = entry.newTokens
        totalTokens += sign * n
        if entry.isDecode {
            decodeSequences += sign
            decodeContextTokens += sign * (entry.contextTokens + 1)
        } else {
            prefillSequences += sign
            prefillTokens += sign * n
            prefillAttentionPairs += sign * (n * entry.contextTokens + n * (n + 1) / 2)
        }
    }
}

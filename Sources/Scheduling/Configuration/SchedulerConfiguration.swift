/// The knobs of one ``BatchScheduler``: token budget, sequence cap, chunked prefill, block size, and the
/// ordering, admission and preemption policies.
///
/// Defaults follow vLLM's V1 engine (8,192 batched tokens, 256 sequences, chunked prefill on) except the block
/// size, which is 64 tokens as FlashMLA pages its KV cache. `Docs/Scheduling.md` maps every field to the
/// vLLM and SGLang option of the same meaning.
public struct SchedulerConfiguration: Sendable, Hashable {
    /// Most tokens (prefill and decode together) in one step (vLLM `max_num_batched_tokens`).
    public var maxNumBatchedTokens: Int
    /// Most requests running at once (vLLM `max_num_seqs`, SGLang `max_running_requests`).
    public var maxNumSeqs: Int
    /// Whether a prompt may be split over several steps (vLLM `enable_chunked_prefill`). When off, a prompt's
    /// first pass must fit the token budget whole; recomputing a preempted request may still be chunked.
    public var chunkedPrefill: Bool
    /// A request whose remaining prefill is longer than this gets at most this many tokens per step, so long
    /// prompts do not crowd out short ones (vLLM `long_prefill_token_threshold`); 0 turns the cap off.
    public var longPrefillTokenThreshold: Int
    /// Most prefill tokens, over all requests, in one step (SGLang `chunked_prefill_size`); nil means only
    /// `maxNumBatchedTokens` limits them.
    public var maxPrefillTokensPerStep: Int?
    /// Tokens per KV-cache block (vLLM `block_size`, SGLang `page_size`).
    public var blockSize: Int
    /// The order in which waiting requests are admitted and running ones preempted.
    public var policy: SchedulingPolicy
    /// How much KV cache a request must find free before it is admitted.
    public var admission: AdmissionStyle
    /// What happens to a preempted request's KV cache.
    public var preemption: PreemptionMode
    /// Most requests waiting at once; an arrival beyond it is rejected with ``RejectionReason/queueFull(capacity:)``.
    public var maxWaitingRequests: Int
    /// Prefill throughput used to predict a new request's time to first token (tokens per second): the
    /// prefill backlog plus its prompt, divided by this. Nil turns predicted-TTFT admission control off.
    /// A plain number rather than a closure keeps the scheduler pure and `Sendable`.
    public var predictedPrefillTokensPerSecond: Double?

    /// Creates a configuration; every argument has the documented default.
    public init(
        maxNumBatchedTokens: Int = 8192, maxNumSeqs: Int = 256, chunkedPrefill: Bool = true,
        longPrefillTokenThreshold: Int = 0, maxPrefillTokensPerStep: Int? = nil, blockSize: Int = 64,
        policy: SchedulingPolicy = .fcfs, admission: AdmissionStyle = .eager, preemption: PreemptionMode = .recompute,
        maxWaitingRequests: Int = 16_384, predictedPrefillTokensPerSecond: Double? = nil
    ) {
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.maxNumSeqs = maxNumSeqs
        self.chunkedPrefill = chunkedPrefill
        self.longPrefillTokenThreshold = longPrefillTokenThreshold
        self.maxPrefillTokensPerStep = maxPrefillTokensPerStep
        self.blockSize = blockSize
        self.policy = policy
        self.admission = admission
        self.preemption = preemption
        self.maxWaitingRequests = maxWaitingRequests
        self.predictedPrefillTokensPerSecond = predictedPrefillTokensPerSecond
    }
}

/// The order of the waiting queue and the choice of preemption victim.
public enum SchedulingPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// First come, first served: admission in arrival order; the latest arrival is preempted first.
    case fcfs
    /// Higher `RequestSpec.priority` first (arrival order within a class); a waiting request of higher
    /// priority than some running one may preempt it.
    case priority
    /// Earliest time-to-first-token deadline (arrival + `ttftSLO`) first; requests without an objective go last.
    case deadline
}

/// When a waiting request counts as fitting into the KV cache.
public enum AdmissionStyle: Sendable, Hashable {
    /// vLLM: admit as soon as the blocks for this step's tokens are free; preempt later if decoding runs out.
    case eager
    /// SGLang: also keep room for a decaying fraction of every running request's remaining output.
    case reserve(ReserveAdmission)
}

/// SGLang's reservation parameters (`SGLANG_INIT_NEW_TOKEN_RATIO`, `SGLANG_MIN_NEW_TOKEN_RATIO_FACTOR`,
/// `SGLANG_NEW_TOKEN_RATIO_DECAY_STEPS`, `SGLANG_CLIP_MAX_NEW_TOKENS_ESTIMATION`).
///
/// A running request is expected to still need `ratio x min(remaining output, clip)` tokens. The ratio starts
/// at `initialNewTokenRatio`, falls linearly to `initialNewTokenRatio x minRatioFactor` over `decaySteps`
/// steps, and jumps back to the start whenever a request is preempted. A candidate reserves its own
/// `min(remaining output, clip)` in full.
public struct ReserveAdmission: Sendable, Hashable {
    /// Starting ratio (SGLang 0.7, times `schedule_conservativeness`).
    public var initialNewTokenRatio: Double
    /// Floor as a fraction of the starting ratio (SGLang 0.14).
    public var minRatioFactor: Double
    /// Steps to decay from the start to the floor (SGLang 600).
    public var decaySteps: Int
    /// Cap on the output length a reservation counts (SGLang 4,096).
    public var clipMaxNewTokens: Int

    /// Creates reservation parameters; the defaults are SGLang's.
    public init(
        initialNewTokenRatio: Double = 0.7, minRatioFactor: Double = 0.14, decaySteps: Int = 600,
        clipMaxNewTokens: Int = 4096
    ) {
        self.initialNewTokenRatio = initialNewTokenRatio
        self.minRatioFactor = minRatioFactor
        self.decaySteps = decaySteps
        self.clipMaxNewTokens = clipMaxNewTokens
    }

    /// SGLang's defaults.
    public static let sglang = ReserveAdmission()
}

/// What a preempted request's KV cache becomes.
public enum PreemptionMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Drop the blocks; the request recomputes its prompt and generated tokens when resumed (vLLM V1).
    case recompute
    /// Copy the blocks to the host DRAM tier and back on resume (vLLM V0 `preemption_mode=swap`); falls back
    /// to recompute when the host tier is absent or full.
    case swap
}

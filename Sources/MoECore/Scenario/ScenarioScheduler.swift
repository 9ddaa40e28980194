/// The order in which waiting requests are admitted to a batch (and running ones preempted).
public enum SchedulingPolicyKind: String, Hashable, Sendable, CaseIterable {
    /// First come, first served (vLLM's default).
    case fcfs
    /// By the request's priority, then arrival; a more urgent arrival may preempt running work.
    case priority
    /// Earliest time-to-first-token deadline (arrival + TTFT objective) first, for SLO tiers.
    case deadline
}

/// How much KV cache a waiting request must find free before it is admitted.
public enum AdmissionKind: String, Hashable, Sendable, CaseIterable {
    /// vLLM: admit as soon as the blocks for the next chunk are free; preempt when decoding runs out.
    case eager
    /// SGLang: also keep room for a decaying fraction of every running request's expected output.
    case reserve
}

/// Whether arrivals are refused up front when they cannot meet their objective.
public enum AdmissionControlKind: String, Hashable, Sendable, CaseIterable {
    /// Every request is queued (subject to `max_waiting`).
    case none
    /// A request whose predicted time to first token exceeds the TTFT objective is rejected on arrival.
    case slo
}

/// What happens to a running request evicted when the KV cache runs out.
public enum PreemptionKind: String, Hashable, Sendable, CaseIterable {
    /// Its KV blocks are freed and its prefill is recomputed later (vLLM V1's behaviour).
    case recompute
    /// Its KV blocks are copied to host memory and back.
    case swap
}

/// The scheduler knobs of a scenario, as the file states them; the Deployment module maps them onto
/// the Scheduling module's configuration.
///
/// Batch limits are per attention data-parallel rank, as vLLM runs one scheduler per data-parallel
/// rank: an instance of 16 ranks with `max_num_seqs: 64` runs up to 1,024 sequences. Defaults follow
/// vLLM's online-serving defaults, except the block size, which is FlashMLA's 64-token page.
public struct ScenarioScheduler: Hashable, Sendable {
    /// Token budget of one batch per data-parallel rank (prefill and decode tokens together).
    public var maxNumBatchedTokens: Int = 8192
    /// Most sequences in one batch per data-parallel rank.
    public var maxNumSeqs: Int = 256
    /// Whether long prompts are split across several batches.
    public var chunkedPrefill: Bool = true
    /// Prompts longer than this are prefilled in chunks of at most this many tokens at a time,
    /// so short requests are not stuck behind them (0: no limit).
    public var longPrefillThreshold: Int = 0
    /// Tokens per KV-cache block.
    public var blockSize: Int = 64
    /// Queue order.
    public var policy: SchedulingPolicyKind = .fcfs
    /// KV-cache admission style.
    public var admission: AdmissionKind = .eager
    /// Up-front rejection of requests predicted to miss their TTFT objective.
    public var admissionControl: AdmissionControlKind = .none
    /// Preemption mode.
    public var preemption: PreemptionKind = .recompute
    /// Whether full prompt blocks are shared between requests through the prefix cache.
    public var prefixCaching: Bool = true
    /// Most requests waiting per instance before new ones are rejected (vLLM-like engines bound it).
    public var maxWaiting: Int = 16_384

    /// The defaults.
    public init() {}
}

extension ScenarioScheduler {
    /// Decodes the `scheduler` section; absent keys keep their defaults.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: [
            "max_num_batched_tokens", "max_num_seqs", "chunked_prefill", "long_prefill_threshold", "block_size",
            "policy", "admission", "admission_control", "preemption", "prefix_caching", "max_waiting",
        ])
        self.init()
        if let value = fields.optional("max_num_batched_tokens") { maxNumBatchedTokens = try value.integer(.positive) }
        if let value = fields.optional("max_num_seqs") { maxNumSeqs = try value.integer(.positive) }
        if let value = fields.optional("chunked_prefill") { chunkedPrefill = try value.bool() }
        if let value = fields.optional("long_prefill_threshold") {
            longPrefillThreshold = try value.integer(.nonNegative)
        }
        if let value = fields.optional("block_size") { blockSize = try value.integer(.range(1...4096)) }
        if let value = fields.optional("policy") { policy = try value.oneOf(SchedulingPolicyKind.self) }
        if let value = fields.optional("admission") { admission = try value.oneOf(AdmissionKind.self) }
        if let value = fields.optional("admission_control") {
            admissionControl = try value.oneOf(AdmissionControlKind.self)
        }
        if let value = fields.optional("preemption") { preemption = try value.oneOf(PreemptionKind.self) }
        if let value = fields.optional("prefix_caching") { prefixCaching = try value.bool() }
        if let value = fields.optional("max_waiting") { maxWaiting = try value.integer(.positive) }
        if !chunkedPrefill, longPrefillThreshold > 0 {
            throw try fields.required("long_prefill_threshold").error(
                "long_prefill_threshold needs chunked_prefill: true")
        }
    }
}

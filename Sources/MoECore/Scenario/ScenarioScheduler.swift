/// The order in which waiting requests are admitted to a batch.
public enum SchedulingPolicyKind: String, Hashable, Sendable, CaseIterable {
    /// First come, first served (vLLM's default).
    case fcfs
    /// By the request's priority, then arrival.
    case priority
    /// Shortest prompt first.
    case sjf
}

/// Whether arriving requests are admitted unconditionally.
public enum AdmissionKind: String, Hashable, Sendable, CaseIterable {
    /// Every request is queued (subject to `max_waiting`).
    case always
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

/// The scheduler knobs of a scenario, as the file states them; the Scheduling module maps them onto
/// its own configuration. Defaults follow vLLM's online-serving defaults.
public struct ScenarioScheduler: Hashable, Sendable {
    /// Token budget of one batch (prefill and decode tokens together).
    public var maxNumBatchedTokens: Int = 8192
    /// Most sequences in one batch.
    public var maxNumSeqs: Int = 256
    /// Whether long prompts are split across several batches.
    public var chunkedPrefill: Bool = true
    /// Prompts longer than this are prefilled in chunks of at most this many tokens at a time,
    /// so short requests are not stuck behind them (0: no limit).
    public var longPrefillThreshold: Int = 0
    /// Tokens per KV-cache block.
    public var blockSize: Int = 16
    /// Queue order.
    public var policy: SchedulingPolicyKind = .fcfs
    /// Admission control.
    public var admission: AdmissionKind = .always
    /// Preemption mode.
    public var preemption: PreemptionKind = .recompute
    /// Most requests waiting per instance before new ones are rejected, or nil for no bound.
    public var maxWaiting: Int?

    /// The defaults.
    public init() {}
}

extension ScenarioScheduler {
    /// Decodes the `scheduler` section; absent keys keep their defaults.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: [
            "max_num_batched_tokens", "max_num_seqs", "chunked_prefill", "long_prefill_threshold", "block_size",
            "policy", "admission", "preemption", "max_waiting",
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
        if let value = fields.optional("preemption") { preemption = try value.oneOf(PreemptionKind.self) }
        maxWaiting = try fields.optional("max_waiting")?.integer(.nonNegative)
        if !chunkedPrefill, longPrefillThreshold > 0 {
            throw try fields.required("long_prefill_threshold").error(
                "long_prefill_threshold needs chunked_prefill: true")
        }
    }
}

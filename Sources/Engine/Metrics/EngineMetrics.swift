import MoECore

/// A snapshot of what the engine is doing and has done: the figures a Prometheus `/metrics` page shows.
/// Each field names the vLLM metric it corresponds to; times are wall-clock seconds.
public struct EngineMetrics: Sendable, Hashable {
    /// Requests holding KV blocks on some instance (`vllm:num_requests_running`).
    public var requestsRunning: Int
    /// Requests queued for admission (`vllm:num_requests_waiting`).
    public var requestsWaiting: Int
    /// Fraction of all instances' HBM KV blocks held by running requests, 0 to 1 (`vllm:kv_cache_usage_perc`).
    public var kvCacheUsage: Double
    /// Prompt tokens of requests that reached their first token (`vllm:prompt_tokens_total`).
    public var promptTokensTotal: Int
    /// Output tokens streamed (`vllm:generation_tokens_total`).
    public var generationTokensTotal: Int
    /// Preemptions over all instances (`vllm:num_preemptions_total`).
    public var preemptionsTotal: Int
    /// Prompt tokens served from a prefix cache of any tier (`vllm:prefix_cache_hits_total`, in tokens).
    public var prefixCacheHitTokensTotal: Int
    /// How requests ended (`vllm:request_success_total{finished_reason}` and the rest).
    public var requests: RequestCounts
    /// Time to first token (`vllm:time_to_first_token_seconds`).
    public var timeToFirstToken: LatencyHistogram
    /// Time between consecutive output tokens of a request (`vllm:inter_token_latency_seconds`).
    public var interTokenLatency: LatencyHistogram
    /// Each completed request's mean time per output token after the first
    /// (`vllm:request_time_per_output_token_seconds`).
    public var requestTimePerOutputToken: LatencyHistogram
    /// Arrival to end of each completed request (`vllm:e2e_request_latency_seconds`).
    public var e2eRequestLatency: LatencyHistogram
    /// Arrival to first scheduled step (`vllm:request_queue_time_seconds`).
    public var requestQueueTime: LatencyHistogram
    /// Steps the backends ran, over all instances.
    public var steps: Int
    /// Per back-to-back step: the time from one step's hand-over to the next's, minus the first step's device
    /// time. Everything the engine (and a mock's timer) adds to a step: what makes a served TPOT exceed the
    /// modelled one.
    public var stepOverhead: LatencyHistogram
    /// Per step: from the backend's completion reaching the scheduling queue to the next step's hand-over
    /// (commit, early stops, schedule, building the step): the scheduling loop's critical path.
    public var schedulingTime: LatencyHistogram
    /// The same gauges per instance, in deployment order.
    public var instances: [InstanceMetrics]
}

/// How many requests ended which way. Every submitted request is counted once, in exactly one field.
public struct RequestCounts: Sendable, Hashable {
    /// Completed at an end-of-sequence token (`finished_reason="stop"`).
    public var stopped = 0
    /// Completed at their `max_tokens` (`finished_reason="length"`).
    public var reachedLength = 0
    /// Cancelled by the client (`finished_reason="abort"`).
    public var cancelled = 0
    /// Failed with a reason (a device or backend failure, a step timeout).
    public var failed = 0
    /// Refused on arrival with a reason.
    public var rejected = 0
    /// Accepted and not ended yet.
    public var inFlight = 0

    /// Requests that have ended, whichever way.
    public var ended: Int { stopped + reachedLength + cancelled + failed + rejected }
    /// Requests submitted.
    public var submitted: Int { ended + inFlight }
}

/// One instance's gauges.
public struct InstanceMetrics: Sendable, Hashable {
    /// Its index in the deployment.
    public var index: Int
    /// Its name (`colocated-0`).
    public var name: String
    /// Requests running on it.
    public var requestsRunning: Int
    /// Requests waiting on it.
    public var requestsWaiting: Int
    /// Fraction of its HBM KV blocks held by running requests.
    public var kvCacheUsage: Double
    /// Its HBM KV blocks.
    public var kvBlocksTotal: Int
    /// Its blocks neither held nor cached.
    public var kvBlocksFree: Int
    /// Its preemptions.
    public var preemptionsTotal: Int
    /// Steps its backend ran.
    public var steps: Int
    /// Device time of those steps, as the backend reported it (the busy share of the instance's wall time).
    public var deviceBusyTime: SimDuration
    /// Why it stopped serving, or nil while it serves.
    public var failure: String?
}

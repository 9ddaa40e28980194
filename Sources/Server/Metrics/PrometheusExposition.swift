import Engine

/// The engine's metrics in the Prometheus text exposition format (version 0.0.4) under vLLM's names, so a
/// Grafana dashboard or alert written for vLLM reads a MoEServe server unchanged.
///
/// Families with one value per instance carry vLLM's `engine` label (the instance's index) next to
/// `model_name`; engine-wide counters and histograms carry `model_name` only. Histograms have vLLM's bucket
/// bounds, written as `_bucket{le="..."}` (cumulative, `+Inf` last), `_sum` and `_count`. Counters are written
/// as vLLM's Python client writes them: the family named with its `_total` suffix.
public struct PrometheusExposition: Sendable {
    /// The `model_name` label's value.
    public var modelName: String

    /// An exposition labelling every series with `modelName`.
    public init(modelName: String) { self.modelName = modelName }

    /// The page for `metrics`, plus the server's count of HTTP responses by status code.
    public func render(_ metrics: EngineMetrics, httpResponses: [Int: Int] = [:]) -> String {
        var page = Page(modelName: modelName)
        page.perInstance(
            "vllm:num_requests_running", .gauge, "Number of requests in model execution batches.", metrics.instances
        ) { Double($0.requestsRunning) }
        page.perInstance(
            "vllm:num_requests_waiting", .gauge, "Number of requests waiting to be processed.", metrics.instances
        ) { Double($0.requestsWaiting) }
        page.perInstance(
            "vllm:kv_cache_usage_perc", .gauge, "KV-cache usage. 1 means 100 percent usage.", metrics.instances
        ) { $0.kvCacheUsage }
        page.perInstance(
            "vllm:num_preemptions_total", .counter, "Cumulative number of preemption from the engine.",
            metrics.instances
        ) { Double($0.preemptionsTotal) }
        page.single(
            "vllm:prompt_tokens_total", .counter, "Number of prefill tokens processed.",
            Double(metrics.promptTokensTotal))
        page.single(
            "vllm:generation_tokens_total", .counter, "Number of generation tokens processed.",
            Double(metrics.generationTokensTotal))
        page.single(
            "vllm:prefix_cache_hits_total", .counter, "Prefix cache hits, in terms of number of cached tokens.",
            Double(metrics.prefixCacheHitTokensTotal))
        let requests = metrics.requests
        page.labelled(
            "vllm:request_success_total", .counter, "Count of successfully processed requests.",
            label: "finished_reason",
            [("stop", requests.stopped), ("length", requests.reachedLength), ("abort", requests.cancelled)])
        page.histogram(
            "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
            metrics.timeToFirstToken)
        page.histogram(
            "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
            metrics.interTokenLatency)
        page.histogram(
            "vllm:request_time_per_output_token_seconds",
            "Histogram of time_per_output_token_seconds per request.", metrics.requestTimePerOutputToken)
        page.histogram(
            "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.",
            metrics.e2eRequestLatency)
        page.histogram(
            "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.",
            metrics.requestQueueTime)
        page.single(
            "moeserve:requests_rejected_total", .counter,
            "Requests refused on arrival (queue full, predicted TTFT over its objective, too large).",
            Double(requests.rejected))
        page.single(
            "moeserve:requests_failed_total", .counter, "Requests accepted that failed (a device or step failure).",
            Double(requests.failed))
        page.single(
            "moeserve:requests_in_flight", .gauge, "Requests accepted and not ended.", Double(requests.inFlight))
        page.perInstance(
            "moeserve:instance_up", .gauge, "1 while the instance serves, 0 once it failed.", metrics.instances
        ) { $0.failure == nil ? 1 : 0 }
        page.perInstance("moeserve:steps_total", .counter, "Steps the instance's backend ran.", metrics.instances) {
            Double($0.steps)
        }
        page.perInstance(
            "moeserve:device_busy_seconds_total", .counter, "Emulated device time of the instance's steps.",
            metrics.instances
        ) { $0.deviceBusyTime.seconds }
        page.perInstance("moeserve:kv_blocks_total", .gauge, "HBM KV-cache blocks of the instance.", metrics.instances)
        {
            Double($0.kvBlocksTotal)
        }
        page.perInstance(
            "moeserve:kv_blocks_free", .gauge, "HBM KV-cache blocks neither held nor cached.", metrics.instances
        ) { Double($0.kvBlocksFree) }
        page.histogram(
            "moeserve:engine_step_overhead_seconds",
            "Host time a step adds beyond its device time (hop, commit, schedule, hand-over, timer lateness).",
            metrics.stepOverhead)
        page.labelled(
            "moeserve:http_responses_total", .counter, "HTTP responses by status code.", label: "code",
            httpResponses.sorted { $0.key < $1.key }.map { (String($0.key), $0.value) })
        return page.text
    }
}

/// A page being written, family by family.
private struct Page {
    enum Kind: String {
        case gauge, counter, histogram
    }

    let modelLabel: String
    var text = ""

    init(modelName: String) { modelLabel = "model_name=\"\(Self.escaped(modelName))\"" }

    mutating func header(_ name: String, _ kind: Kind, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    mutating func single(_ name: String, _ kind: Kind, _ help: String, _ value: Double) {
        header(name, kind, help)
        text += "\(name){\(modelLabel)} \(Self.number(value))\n"
    }

    mutating func perInstance(
        _ name: String, _ kind: Kind, _ help: String, _ instances: [InstanceMetrics],
        _ value: (InstanceMetrics) -> Double
    ) {
        header(name, kind, help)
        for instance in instances {
            text += "\(name){engine=\"\(instance.index)\",\(modelLabel)} \(Self.number(value(instance)))\n"
        }
    }

    mutating func labelled(_ name: String, _ kind: Kind, _ help: String, label: String, _ values: [(String, Int)]) {
        header(name, kind, help)
        for (labelValue, value) in values {
            text += "\(name){\(label)=\"\(Self.escaped(labelValue))\",\(modelLabel)} \(value)\n"
        }
    }

    mutating func histogram(_ name: String, _ help: String, _ histogram: LatencyHistogram) {
        header(name, .histogram, help)
        let bounds = histogram.upperBounds.map(Self.number) + ["+Inf"]
        for (bound, count) in zip(bounds, histogram.cumulativeCounts) {
            text += "\(name)_bucket{le=\"\(bound)\",\(modelLabel)} \(count)\n"
        }
        text += "\(name)_sum{\(modelLabel)} \(Self.number(histogram.sum))\n"
        text += "\(name)_count{\(modelLabel)} \(histogram.count)\n"
    }

    /// A sample value as Prometheus parses it (Go's float syntax; integers without a fraction).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A label value with backslash, double quote and newline escaped.
    static func escaped(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

import MoECore

/// The engine's counters and histograms, updated on the scheduling queue as steps complete and requests
/// end; ``EngineMetrics`` is a snapshot of them plus the schedulers' gauges.
struct MetricsRecorder: Sendable {
    var requests = RequestCounts()
    var promptTokensTotal = 0
    var generationTokensTotal = 0
    var steps = 0
    var timeToFirstToken = LatencyHistogram.timeToFirstToken
    var interTokenLatency = LatencyHistogram.interTokenLatency
    var requestTimePerOutputToken = LatencyHistogram.interTokenLatency
    var e2eRequestLatency = LatencyHistogram.requestLatency
    var requestQueueTime = LatencyHistogram.requestLatency
    var stepOverhead = LatencyHistogram.overhead
    var schedulingTime = LatencyHistogram.overhead

    /// Counts an ended request under its finish reason and records its latencies.
    mutating func recordEnd(_ record: RequestRecord, reason: FinishReason) {
        switch reason {
        case .stop: requests.stopped += 1
        case .length: requests.reachedLength += 1
        case .cancelled: requests.cancelled += 1
        case .failed: requests.failed += 1
        case .rejected: requests.rejected += 1
        }
        if reason.wasAccepted { requests.inFlight -= 1 }
        guard record.outcome == .completed else { return }
        if let e2e = record.e2e { e2eRequestLatency.record(e2e) }
        if let tpot = record.tpot { requestTimePerOutputToken.record(tpot) }
    }
}

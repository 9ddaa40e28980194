import MoECore
import NIOCore

/// One replayed request's measurement judged: its outcome, its record on the trace's clock and its
/// inter-token gaps.
struct MeasuredRequest {
    /// The trace's request.
    let request: RequestSpec
    /// What the client saw.
    let measurement: StreamMeasurement
    /// Why the exchange broke off, if it did.
    let failure: (any Error)?

    /// How the request ended: completed at a `stop` or `length` finish; rejected for a 4xx answer; failed for
    /// anything else, with the reason.
    var outcome: RequestOutcome {
        guard let status = measurement.status else {
            return .failed(reason: "no response: \(failure.map { "\($0)" } ?? "the connection closed")")
        }
        let detail = measurement.error?.message ?? "no message"
        switch status {
        case 200:
            if let error = measurement.error {
                return .failed(reason: "stream error: \(error.message ?? "no message")")
            }
            if let failure { return .failed(reason: "stream broke off: \(failure)") }
            switch measurement.finishReason {
            case "stop", "length": return .completed
            case let reason?: return .failed(reason: "finish reason \(reason)")
            case nil: return .failed(reason: "the stream ended without a finish reason")
            }
        case 400..<500:
            return .rejected(reason: "HTTP \(status): \(detail)")
        default:
            return .failed(reason: "HTTP \(status): \(detail)")
        }
    }

    /// For a rejection, the kind it is counted under: the error's `code`, else `http_<status>`.
    var rejectionKind: String? {
        guard case .rejected = outcome else { return nil }
        return measurement.error?.code ?? "http_\(measurement.status ?? 0)"
    }

    /// The request's record on `clock`'s trace time.
    func record(on clock: ReplayClock) -> RequestRecord {
        let outcome = outcome
        let completed = outcome == .completed
        let end = (completed ? measurement.lastTokenAt : nil) ?? measurement.endedAt ?? .now()
        let usage = measurement.usage
        return RequestRecord(
            id: request.id, arrival: clock.traceTime(of: measurement.sentAt),
            promptTokens: usage?.promptTokens ?? request.promptTokens,
            cachedPromptTokens: usage?.promptTokensDetails?.cachedTokens ?? 0,
            outputTokens: completed ? usage?.completionTokens ?? measurement.chunks : measurement.chunks,
            firstTokenAt: measurement.firstTokenAt.map(clock.traceTime(of:)), endedAt: clock.traceTime(of: end),
            outcome: outcome, instance: nil)
    }

    /// The inter-token gaps of a completed request on the trace's clock (none for the others, as vLLM's
    /// benchmark counts successful requests only).
    func gaps(on clock: ReplayClock) -> [SimDuration] {
        guard outcome == .completed else { return [] }
        return measurement.gaps.map { clock.traceDuration(.nanoseconds($0)) }
    }
}

import MoECore

/// Something that happened to a request, reported by ``BatchScheduler/commit(_:now:)`` or
/// ``BatchScheduler/advanceDecode(steps:now:)`` at the end of the step that caused it.
public enum RequestEvent: Hashable, Sendable {
    /// The request's first output token was sampled.
    case firstToken(RequestID, at: SimTime)
    /// The request sampled its last output token and left; its KV blocks are released.
    case finished(RequestID, at: SimTime, outputTokens: Int)

    /// The request concerned.
    public var requestID: RequestID {
        switch self {
        case .firstToken(let id, _), .finished(let id, _, _): id
        }
    }
}

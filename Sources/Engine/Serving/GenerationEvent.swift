import MoECore
import Scheduling

/// What a submitted request's stream reports: its tokens as they are produced, then exactly one
/// ``finished(_:)``.
public enum GenerationEvent: Sendable, Hashable {
    /// One output token.
    case token(GeneratedToken)
    /// The request ended; nothing follows.
    case finished(RequestCompletion)
}

/// One output token as streamed to the client.
public struct GeneratedToken: Sendable, Hashable {
    /// The request.
    public var id: RequestID
    /// Its position among the request's output tokens (0 for the first).
    public var index: Int
    /// The token id.
    public var token: UInt32
    /// When the step that produced it ended, on the engine's clock.
    public var at: SimTime
}

/// How and when a request ended: the finish reason and its full account.
public struct RequestCompletion: Sendable, Hashable {
    /// Why it ended.
    public var reason: FinishReason
    /// Its life on the engine's clock, in the same shape the simulator reports.
    public var record: RequestRecord
}

/// Why a request ended.
public enum FinishReason: Sendable, Hashable, CustomStringConvertible {
    /// It produced an end-of-sequence token.
    case stop
    /// It produced its `max_tokens` without an end-of-sequence token.
    case length
    /// The client cancelled it (or stopped reading its stream).
    case cancelled
    /// It was accepted but could not finish; the text says why (the failed device, the timed-out step).
    case failed(String)
    /// It was refused on arrival.
    case rejected(EngineRejection)

    /// The OpenAI `finish_reason` (vLLM's spelling): `stop`, `length`, or `abort` for the rest.
    public var openAIFinishReason: String {
        switch self {
        case .stop: "stop"
        case .length: "length"
        case .cancelled, .failed, .rejected: "abort"
        }
    }

    /// Whether the request was admitted before it ended.
    var wasAccepted: Bool {
        if case .rejected = self { return false }
        return true
    }

    /// The outcome a ``RequestRecord`` stores.
    var outcome: RequestOutcome {
        switch self {
        case .stop, .length: .completed
        case .cancelled: .cancelled
        case .failed(let reason): .failed(reason: reason)
        case .rejected(let rejection): .rejected(reason: rejection.description)
        }
    }

    public var description: String {
        switch self {
        case .stop, .length, .cancelled: openAIFinishReason
        case .failed(let reason): "failed: \(reason)"
        case .rejected(let rejection): "rejected: \(rejection)"
        }
    }
}

/// Why the engine refused a request.
public enum EngineRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The instance's scheduler refused it (queue full, predicted to miss its TTFT objective, too large,
    /// malformed, a duplicate id); the reason is the scheduler's own.
    case refused(RejectionReason)
    /// The engine is draining or shut down and takes no new requests.
    case shuttingDown
    /// Every instance has failed; the text lists why.
    case noServingInstance(String)

    /// Whether the refusal is overload that may clear later (HTTP 429 with `Retry-After`), rather than a
    /// request that can never be served as sent (400) or a server going away (503).
    public var isOverload: Bool {
        switch self {
        case .refused(.queueFull), .refused(.predictedTTFTExceedsSLO): true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .refused(let reason): reason.description
        case .shuttingDown: "the engine is shutting down and accepts no new requests"
        case .noServingInstance(let why): "no instance is serving (\(why))"
        }
    }
}

import MoECore

/// A submitted request's events as an async sequence: its tokens, then one `.finished`.
///
/// Stopping the iteration early (the consuming task is cancelled, say because the HTTP client went away)
/// cancels the request, which frees its KV blocks at once.
public struct GenerationStream: AsyncSequence, Sendable {
    public typealias Element = GenerationEvent

    /// The request.
    public let id: RequestID
    let events: AsyncStream<GenerationEvent>
    let engine: ServingEngine

    public func makeAsyncIterator() -> AsyncStream<GenerationEvent>.Iterator { events.makeAsyncIterator() }

    /// Cancels the request; its stream then ends with `.finished` and reason `.cancelled` (unless it has
    /// already ended).
    public func cancel() { engine.cancel(id) }

    /// Reads the whole stream: every token and how the request ended.
    /// - Throws: `CancellationError` when the reading task is cancelled first (the request is then
    ///   cancelled too).
    public func collect() async throws -> GenerationResult {
        var tokens: [UInt32] = []
        for await event in events {
            switch event {
            case .token(let token): tokens.append(token.token)
            case .finished(let completion): return GenerationResult(tokens: tokens, completion: completion)
            }
        }
        // The engine always ends a stream with `.finished`; iteration stops early only when cancelled.
        throw CancellationError()
    }
}

/// A whole generation: the tokens and how the request ended.
public struct GenerationResult: Sendable, Hashable {
    /// The output tokens in order.
    public var tokens: [UInt32]
    /// How it ended.
    public var completion: RequestCompletion
}

/// A request submitted with a callback: its id, and a way to cancel it.
public struct RequestHandle: Sendable, Hashable {
    /// The request.
    public let id: RequestID
    let engine: ServingEngine

    /// Cancels the request (a no-op once it has ended).
    public func cancel() { engine.cancel(id) }

    public static func == (lhs: RequestHandle, rhs: RequestHandle) -> Bool {
        lhs.id == rhs.id && lhs.engine === rhs.engine
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Where one request's events go: a callback, an async stream, or both. Events are delivered on the
/// engine's output queue, in order.
final class EventSink: Sendable {
    private let onEvent: (@Sendable (GenerationEvent) -> Void)?
    private let continuation: AsyncStream<GenerationEvent>.Continuation?

    init(onEvent: (@Sendable (GenerationEvent) -> Void)?, continuation: AsyncStream<GenerationEvent>.Continuation?) {
        self.onEvent = onEvent
        self.continuation = continuation
    }

    func deliver(_ event: GenerationEvent) {
        onEvent?(event)
        continuation?.yield(event)
        if case .finished = event { continuation?.finish() }
    }

    /// Ends the stream without an event (the request was refused and the refusal was thrown instead).
    func close() { continuation?.finish() }
}

/// One event on its way to its sink.
struct Delivery: Sendable {
    let sink: EventSink
    let event: GenerationEvent
}

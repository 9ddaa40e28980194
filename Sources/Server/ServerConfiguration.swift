/// How `moeserve serve` listens and answers (the engine's own knobs come from the scenario and the mock).
public struct ServerConfiguration: Sendable, Hashable {
    /// The address to bind: loopback unless asked otherwise.
    public var host: String
    /// The port to bind; 0 lets the system pick a free one (the bound port is reported at start).
    public var port: Int
    /// The model id clients name (`model`), listed by `/v1/models`; nil uses the scenario's model key.
    public var modelName: String?
    /// Output tokens of a chat completion that sets no `max_completion_tokens`/`max_tokens`.
    public var chatDefaultMaxTokens: Int
    /// Largest request body read; a larger one is answered 413.
    public var maxRequestBytes: Int
    /// Most connections open at once; further clients wait in the listen backlog, so memory stays bounded.
    public var maxConnections: Int
    /// The `Retry-After` seconds sent with a 429.
    public var retryAfterSeconds: Int
    /// Longest a graceful shutdown waits for requests in flight before it cancels them.
    public var drainTimeout: Duration
    /// The backend's end-of-sequence token id, which is counted in `completion_tokens` but has no text.
    public var endOfSequenceToken: UInt32

    /// Creates a configuration; the defaults listen on 127.0.0.1:8000.
    public init(
        host: String = "127.0.0.1", port: Int = 8000, modelName: String? = nil, chatDefaultMaxTokens: Int = 256,
        maxRequestBytes: Int = 8 << 20, maxConnections: Int = 4096, retryAfterSeconds: Int = 1,
        drainTimeout: Duration = .seconds(60), endOfSequenceToken: UInt32 = 1
    ) {
        self.host = host
        self.port = port
        self.modelName = modelName
        self.chatDefaultMaxTokens = chatDefaultMaxTokens
        self.maxRequestBytes = maxRequestBytes
        self.maxConnections = maxConnections
        self.retryAfterSeconds = retryAfterSeconds
        self.drainTimeout = drainTimeout
        self.endOfSequenceToken = endOfSequenceToken
    }
}

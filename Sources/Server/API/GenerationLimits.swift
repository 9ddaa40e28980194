/// What a request is checked against: the served model and how long a sequence it takes.
public struct GenerationLimits: Sendable, Hashable {
    /// OpenAI's default `max_tokens` for `/v1/completions`.
    public static let completionsDefaultMaxTokens = 16

    /// The model id requests must name.
    public var model: String
    /// Token ids in a prompt must be below this.
    public var vocabularySize: Int
    /// The longest prompt plus output: the model's context (its `max_position_embeddings`), or, for a model
    /// whose context the catalog does not know, the most tokens one instance's KV cache holds.
    public var maxSequenceTokens: Int
    /// The output length of a chat completion that gives no `max_completion_tokens`/`max_tokens` (the mock's
    /// output only ends there, so the rest of the context, vLLM's default, would stream for hours).
    public var chatDefaultMaxTokens: Int

    /// Creates limits.
    public init(model: String, vocabularySize: Int, maxSequenceTokens: Int, chatDefaultMaxTokens: Int) {
        self.model = model
        self.vocabularySize = vocabularySize
        self.maxSequenceTokens = maxSequenceTokens
        self.chatDefaultMaxTokens = chatDefaultMaxTokens
    }

    /// The output length for a request: `requested`, else the endpoint's default cut to the room left in the
    /// context.
    /// - Throws: ``OpenAIError`` (400) when `requested` is below 1 or below `minTokens`, or the prompt plus it
    ///   would not fit in ``maxSequenceTokens``.
    func outputLength(
        requested: Int?, promptTokens: Int, endpoint: GenerationRequest.Endpoint, minTokens: Int?
    ) throws(OpenAIError) -> Int {
        let param = endpoint == .completions ? "max_tokens" : "max_completion_tokens"
        let room = maxSequenceTokens - promptTokens
        guard room >= 1 else {
            throw OpenAIError.invalidRequest(
                "This model's maximum context length is \(maxSequenceTokens) tokens. However, your prompt has "
                    + "\(promptTokens) tokens, which leaves no room for output. Please reduce the length of the prompt.",
                param: endpoint == .completions ? "prompt" : "messages", code: "context_length_exceeded")
        }
        let tokens: Int
        if let requested {
            guard requested >= 1 else {
                throw OpenAIError.invalidRequest(
                    "Invalid '\(param)': \(requested); expected an integer >= 1.", param: param, code: "invalid_value")
            }
            guard requested <= room else {
                throw OpenAIError.invalidRequest(
                    "This model's maximum context length is \(maxSequenceTokens) tokens. However, you requested "
                        + "\(requested) output tokens with a prompt of \(promptTokens) tokens. Please reduce the "
                        + "length of the prompt or of '\(param)'.",
                    param: param, code: "context_length_exceeded")
            }
            tokens = requested
        } else {
            let fallback = endpoint == .completions ? Self.completionsDefaultMaxTokens : chatDefaultMaxTokens
            tokens = min(fallback, room)
        }
        if let minTokens, minTokens > tokens {
            throw OpenAIError.invalidRequest(
                "Invalid 'min_tokens': \(minTokens) is more than the \(tokens) output tokens of the request.",
                param: "min_tokens", code: "invalid_value")
        }
        return tokens
    }
}

import Foundation

/// A completion or chat completion request, parsed, checked against what the server serves, and reduced to
/// what the engine needs: the prompt's token ids and the output length.
public struct GenerationRequest: Sendable, Hashable {
    /// The endpoint a request came to.
    public enum Endpoint: Sendable, Hashable {
        /// `POST /v1/completions`.
        case completions
        /// `POST /v1/chat/completions`.
        case chatCompletions
    }

    /// The endpoint.
    public var endpoint: Endpoint
    /// The model named (the served one).
    public var model: String
    /// The prompt's tokens: the ids sent, or ``TextTokenizer``'s of the text (a chat's with its template).
    public var promptTokenIDs: [UInt32]
    /// Output tokens to generate: `max_tokens` (for chat `max_completion_tokens`), else the endpoint's
    /// default, never past the model's context.
    public var maxTokens: Int
    /// Whether the response streams as server-sent events.
    public var stream: Bool
    /// Whether a streamed response ends with a `usage` chunk.
    public var includeUsage: Bool

    /// Parses the body of a request to `endpoint`.
    /// - Throws: ``OpenAIError`` (400) naming the field: malformed JSON, a missing or wrongly typed field, an
    ///   unsupported option, another model, an empty prompt, a token id outside the vocabulary, or a prompt
    ///   plus `max_tokens` past the context.
    public init(body: Data, endpoint: Endpoint, limits: GenerationLimits) throws(OpenAIError) {
        let decoder = JSONDecoder()
        if endpoint == .completions, let tokens = PromptTokenScanner.tokens(in: body) {
            decoder.userInfo[PromptInput.scannedTokens] = tokens
        }
        let shared: SharedParameters
        let requestedMaxTokens: Int?
        do {
            switch endpoint {
            case .completions:
                let request = try decoder.decode(CompletionRequestBody.self, from: body)
                shared = request.shared
                requestedMaxTokens = request.maxTokens
                promptTokenIDs = try Self.tokens(of: request.prompt, vocabularySize: limits.vocabularySize)
            case .chatCompletions:
                let request = try decoder.decode(ChatCompletionRequestBody.self, from: body)
                shared = request.shared
                requestedMaxTokens = request.maxTokens
                promptTokenIDs = ChatTemplate.tokenIDs(of: request.messages)
            }
        } catch let error as OpenAIError {
            throw error
        } catch {
            throw OpenAIError(decoding: error)
        }
        guard shared.model == limits.model else {
            throw OpenAIError.invalidRequest(
                "The model '\(shared.model)' does not exist; this server serves '\(limits.model)'.", param: "model",
                code: "model_not_found")
        }
        guard !promptTokenIDs.isEmpty else {
            throw OpenAIError.invalidRequest("The prompt is empty.", param: "prompt", code: "empty_prompt")
        }
        self.endpoint = endpoint
        model = shared.model
        stream = shared.stream
        includeUsage = shared.includeUsage
        maxTokens = try limits.outputLength(
            requested: requestedMaxTokens, promptTokens: promptTokenIDs.count, endpoint: endpoint,
            minTokens: shared.minTokens)
    }

    /// The ids of a completion prompt.
    private static func tokens(of prompt: PromptInput, vocabularySize: Int) throws(OpenAIError) -> [UInt32] {
        switch prompt {
        case .text(let text):
            return TextTokenizer.tokenIDs(of: text)
        case .tokens(let ids):
            if let index = ids.firstIndex(where: { $0 < 0 || $0 >= vocabularySize }) {
                throw OpenAIError.invalidRequest(
                    "Token id \(ids[index]) at position \(index) is outside the vocabulary (0 to \(vocabularySize - 1)).",
                    param: "prompt", code: "invalid_token_id")
            }
            return ids.map { UInt32($0) }
        }
    }
}

import Engine
import Foundation

/// Turns a generation's events into a streamed response's server-sent events, in OpenAI's chunk format: one
/// `data: {...}` event per output token, the last one carrying `finish_reason`, then, with `include_usage`, a
/// chunk with `usage` and no choices, then `data: [DONE]`.
///
/// A token whose chunk may be the last (the end-of-sequence token, or the one at `max_tokens`) is held until
/// the request's `.finished` event, which the engine delivers right after it, and sent with the finish
/// reason: so a client counts exactly one chunk per token (the end-of-sequence chunk has empty text), as
/// benchmark clients that time chunks expect.
struct CompletionStream {
    /// The request streamed.
    let request: GenerationRequest
    /// The response id (`cmpl-7`, `chatcmpl-7`).
    let id: String
    /// Unix seconds at which the response started (OpenAI's `created`).
    let created: Int
    /// The backend's end-of-sequence token, which has no text.
    let endOfSequence: UInt32
    private var held: GeneratedToken?
    private var opened = false

    /// A stream for `request`.
    init(request: GenerationRequest, id: String, created: Int, endOfSequence: UInt32) {
        self.request = request
        self.id = id
        self.created = created
        self.endOfSequence = endOfSequence
    }

    /// The events `event` produces (none for a held token), each a complete `data: ...\n\n` frame.
    mutating func frames(for event: GenerationEvent) -> [String] {
        switch event {
        case .token(let token):
            if token.token == endOfSequence || token.index == request.maxTokens - 1 {
                held = token
                return []
            }
            return [chunk(text: text(of: token), finishReason: nil)]
        case .finished(let completion):
            var frames: [String] = []
            if case .failed(let reason) = completion.reason {
                let error = OpenAIError(status: 500, message: reason, type: "server_error", code: "generation_failed")
                frames.append(Self.frame(error.body()))
            } else if case .rejected(let rejection) = completion.reason {
                frames.append(Self.frame(OpenAIError(rejection: rejection).body()))
            } else {
                frames.append(
                    chunk(text: held.map(text(of:)) ?? "", finishReason: completion.reason.openAIFinishReason))
            }
            if request.includeUsage {
                let usage = CompletionDocument.Usage(
                    promptTokens: request.promptTokenIDs.count, record: completion.record)
                frames.append(Self.frame(document(choice: nil, usage: usage).data()))
            }
            frames.append("data: [DONE]\n\n")
            return frames
        }
    }

    private func text(of token: GeneratedToken) -> String {
        TokenText.piece(for: token.token, isEndOfSequence: token.token == endOfSequence)
    }

    private mutating func chunk(text: String, finishReason: String?) -> String {
        let choice = CompletionDocument.Choice(text: text, finishReason: finishReason, opensMessage: !opened)
        opened = true
        return Self.frame(document(choice: choice, usage: nil).data())
    }

    private func document(choice: CompletionDocument.Choice?, usage: CompletionDocument.Usage?) -> CompletionDocument {
        CompletionDocument(
            shape: request.endpoint == .completions ? .completion : .chatChunk, id: id, created: created,
            model: request.model, choice: choice, usage: usage, writesUsage: request.includeUsage)
    }

    /// One server-sent event carrying `json`.
    static func frame(_ json: Data) -> String { "data: " + String(decoding: json, as: UTF8.self) + "\n\n" }
}

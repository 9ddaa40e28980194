import Foundation
import MoECore

/// The JSON documents a completion answers with, whole or streamed, in OpenAI's shapes (`text_completion`,
/// `chat.completion`, `chat.completion.chunk`) with `null` written where OpenAI writes it.
struct CompletionDocument: Encodable {
    /// `usage`, with OpenAI's `prompt_tokens_details.cached_tokens`: the prompt tokens the prefix cache served.
    struct Usage: Encodable, Hashable {
        var promptTokens: Int
        var completionTokens: Int
        var cachedPromptTokens: Int

        /// The usage of a request that ended with `record`.
        init(promptTokens: Int, record: RequestRecord) {
            self.promptTokens = promptTokens
            completionTokens = record.outputTokens
            cachedPromptTokens = record.cachedPromptTokens
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
            case promptTokensDetails = "prompt_tokens_details"
        }

        enum DetailKeys: String, CodingKey { case cachedTokens = "cached_tokens" }

        func encode(to encoder: any Encoder) throws {
            var fields = encoder.container(keyedBy: CodingKeys.self)
            try fields.encode(promptTokens, forKey: .promptTokens)
            try fields.encode(completionTokens, forKey: .completionTokens)
            try fields.encode(promptTokens + completionTokens, forKey: .totalTokens)
            var details = fields.nestedContainer(keyedBy: DetailKeys.self, forKey: .promptTokensDetails)
            try details.encode(cachedPromptTokens, forKey: .cachedTokens)
        }
    }

    /// The one choice: its text (or, streamed, the text since the last chunk) and, once it ends, why.
    struct Choice {
        var text: String
        var finishReason: String?
        /// Whether this is a streamed chat chunk opening the assistant's message (its delta carries the role).
        var opensMessage: Bool
    }

    /// How the document is shaped.
    enum Shape {
        /// A whole `/v1/completions` response, or one of its stream chunks (the same shape).
        case completion
        /// A whole chat completion.
        case chatCompletion
        /// A chat completion stream chunk.
        case chatChunk
    }

    var shape: Shape
    var id: String
    var created: Int
    var model: String
    /// The choice, or nil for a stream's closing usage chunk (`choices: []`).
    var choice: Choice?
    /// The usage; for a stream chunk with `include_usage`, null until the closing chunk.
    var usage: Usage?
    /// Whether `usage` is written (as null when absent) at all.
    var writesUsage: Bool

    enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }
    enum ChoiceKeys: String, CodingKey {
        case index, text, message, delta, logprobs
        case finishReason = "finish_reason"
    }
    enum MessageKeys: String, CodingKey { case role, content }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(id, forKey: .id)
        let object =
            switch shape {
            case .completion: "text_completion"
            case .chatCompletion: "chat.completion"
            case .chatChunk: "chat.completion.chunk"
            }
        try fields.encode(object, forKey: .object)
        try fields.encode(created, forKey: .created)
        try fields.encode(model, forKey: .model)
        var choices = fields.nestedUnkeyedContainer(forKey: .choices)
        if let choice {
            var entry = choices.nestedContainer(keyedBy: ChoiceKeys.self)
            try entry.encode(0, forKey: .index)
            switch shape {
            case .completion:
                try entry.encode(choice.text, forKey: .text)
            case .chatCompletion:
                var message = entry.nestedContainer(keyedBy: MessageKeys.self, forKey: .message)
                try message.encode("assistant", forKey: .role)
                try message.encode(choice.text, forKey: .content)
            case .chatChunk:
                var delta = entry.nestedContainer(keyedBy: MessageKeys.self, forKey: .delta)
                if choice.opensMessage { try delta.encode("assistant", forKey: .role) }
                if choice.opensMessage || !choice.text.isEmpty { try delta.encode(choice.text, forKey: .content) }
            }
            try entry.encodeNil(forKey: .logprobs)
            try entry.encode(choice.finishReason, forKey: .finishReason)
        }
        if writesUsage { try fields.encode(usage, forKey: .usage) }
    }

    /// The document as JSON bytes (keys sorted, so equal documents are equal bytes).
    func data() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and nulls only: encoding cannot fail.
        return try! encoder.encode(self)
    }
}

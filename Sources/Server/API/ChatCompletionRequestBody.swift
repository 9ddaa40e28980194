/// The body of `POST /v1/chat/completions` as far as the server reads it.
struct ChatCompletionRequestBody: Decodable {
    /// The fields shared with completions.
    var shared: SharedParameters
    /// The conversation, at least one message.
    var messages: [ChatMessage]
    /// `max_completion_tokens`, else the older `max_tokens`, if given.
    var maxTokens: Int?

    enum CodingKeys: String, CodingKey {
        case messages, logprobs
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topLogprobs = "top_logprobs"
    }

    init(from decoder: any Decoder) throws {
        shared = try SharedParameters(from: decoder)
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        messages = try fields.decode([ChatMessage].self, forKey: .messages)
        if messages.isEmpty { throw RequestFieldError.invalid(fields, .messages, "must hold at least one message") }
        let legacy = try fields.integer(.maxTokens)
        maxTokens = try fields.integer(.maxCompletionTokens) ?? legacy
        if try fields.decodeIfPresent(Bool.self, forKey: .logprobs) == true {
            throw RequestFieldError.invalid(fields, .logprobs, "is not supported (the mock backend has no logits)")
        }
        if try fields.integer(.topLogprobs) != nil {
            throw RequestFieldError.invalid(fields, .topLogprobs, "is not supported (the mock backend has no logits)")
        }
    }
}

/// One message of a conversation.
struct ChatMessage: Decodable {
    /// The roles OpenAI's API defines.
    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    /// Who speaks.
    var role: String
    /// The text, its parts joined (empty for an assistant message that only calls tools).
    var content: String
    /// The speaker's name, if given.
    var name: String?

    enum CodingKeys: String, CodingKey { case role, content, name }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        role = try fields.decode(String.self, forKey: .role)
        guard Self.roles.contains(role) else {
            throw RequestFieldError.invalid(
                fields, .role, "is '\(role)'; expected one of \(Self.roles.sorted().joined(separator: ", "))")
        }
        name = try fields.decodeIfPresent(String.self, forKey: .name)
        if try fields.decodeNil(forKey: .content) {
            content = ""
        } else if let text = try? fields.decode(String.self, forKey: .content) {
            content = text
        } else {
            content = try fields.decode([ChatContentPart].self, forKey: .content).map(\.text).joined()
        }
    }
}

/// A part of a message's content; only text parts are served.
struct ChatContentPart: Decodable {
    /// The part's text.
    var text: String

    enum CodingKeys: String, CodingKey { case type, text }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        let type = try fields.decode(String.self, forKey: .type)
        guard type == "text" else {
            throw RequestFieldError.invalid(fields, .type, "is '\(type)'; this server takes text parts only")
        }
        text = try fields.decode(String.self, forKey: .text)
    }
}

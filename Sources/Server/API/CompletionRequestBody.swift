/// The body of `POST /v1/completions` as far as the server reads it.
struct CompletionRequestBody: Decodable {
    /// The fields shared with chat completions.
    var shared: SharedParameters
    /// The prompt: text, or token ids.
    var prompt: PromptInput
    /// `max_tokens`, if given.
    var maxTokens: Int?

    enum CodingKeys: String, CodingKey {
        case prompt, echo, logprobs, suffix
        case maxTokens = "max_tokens"
        case bestOf = "best_of"
    }

    init(from decoder: any Decoder) throws {
        shared = try SharedParameters(from: decoder)
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try fields.decode(PromptInput.self, forKey: .prompt)
        maxTokens = try fields.integer(.maxTokens)
        if try fields.decodeIfPresent(Bool.self, forKey: .echo) == true {
            throw RequestFieldError.invalid(fields, .echo, "is not supported (the server does not echo prompts)")
        }
        if try fields.integer(.logprobs) != nil {
            throw RequestFieldError.invalid(fields, .logprobs, "is not supported (the mock backend has no logits)")
        }
        if try fields.decodeIfPresent(String.self, forKey: .suffix) != nil {
            throw RequestFieldError.invalid(fields, .suffix, "is not supported")
        }
        if let bestOf = try fields.integer(.bestOf), bestOf != 1 {
            throw RequestFieldError.invalid(fields, .bestOf, "is \(bestOf); this server generates one choice")
        }
    }
}

/// A completion prompt: a string, an array of token ids, or a one-element array of either (OpenAI's batch
/// form with one prompt).
enum PromptInput: Decodable {
    /// Text, counted by ``TextTokenizer``.
    case text(String)
    /// Token ids, taken as they are.
    case tokens([Int])

    /// Where ``PromptTokenScanner``'s reading of the prompt is handed to the decoder.
    static let scannedTokens = CodingUserInfoKey(rawValue: "moeserve.scannedPromptTokens")!

    init(from decoder: any Decoder) throws {
        if let tokens = decoder.userInfo[Self.scannedTokens] as? [Int] {
            self = .tokens(tokens)
            return
        }
        let value = try decoder.singleValueContainer()
        if let text = try? value.decode(String.self) {
            self = .text(text)
        } else if let tokens = try? value.decode([Int].self) {
            self = .tokens(tokens)
        } else if let batch = try? value.decode([String].self) {
            guard batch.count == 1 else { throw Self.batchError(decoder, count: batch.count) }
            self = .text(batch[0])
        } else if let batch = try? value.decode([[Int]].self) {
            guard batch.count == 1 else { throw Self.batchError(decoder, count: batch.count) }
            self = .tokens(batch[0])
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "expected a string, an array of integer token ids, or a one-element array of either"))
        }
    }

    private static func batchError(_ decoder: any Decoder, count: Int) -> DecodingError {
        .dataCorrupted(
            .init(
                codingPath: decoder.codingPath,
                debugDescription: "holds \(count) prompts; this server takes one prompt per request"))
    }
}

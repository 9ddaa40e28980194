/// The request fields `/v1/completions` and `/v1/chat/completions` share, read from the same JSON object as the
/// endpoint's own fields. Unknown fields are ignored (as vLLM and most OpenAI-compatible servers do); known
/// ones are type-checked even when the mock backend has no use for them, so a wrong type is a 400 that names
/// the field rather than something silently dropped.
struct SharedParameters: Decodable {
    /// The model asked for.
    var model: String
    /// Whether to stream server-sent events.
    var stream: Bool
    /// Whether a streamed response ends with a chunk carrying `usage` (`stream_options.include_usage`).
    var includeUsage: Bool
    /// `min_tokens` (vLLM's extension), checked against the output length.
    var minTokens: Int?

    enum CodingKeys: String, CodingKey {
        case model, stream, n, temperature, seed, stop, user
        case streamOptions = "stream_options"
        case topP = "top_p"
        case topK = "top_k"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case repetitionPenalty = "repetition_penalty"
        case logitBias = "logit_bias"
        case ignoreEOS = "ignore_eos"
        case minTokens = "min_tokens"
    }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        model = try fields.decode(String.self, forKey: .model)
        stream = try fields.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        let options = try fields.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        if options != nil && !stream {
            throw RequestFieldError.invalid(fields, .streamOptions, "is only allowed when 'stream' is true")
        }
        includeUsage = options?.includeUsage ?? false
        if let n = try fields.integer(.n), n != 1 {
            throw RequestFieldError.invalid(fields, .n, "is \(n); this server generates one choice per request")
        }
        for key in [CodingKeys.temperature, .topP, .repetitionPenalty] {
            if let value = try fields.decodeIfPresent(Double.self, forKey: key), value < 0 {
                throw RequestFieldError.invalid(fields, key, "is \(value); expected a number >= 0")
            }
        }
        for key in [CodingKeys.presencePenalty, .frequencyPenalty] {
            _ = try fields.decodeIfPresent(Double.self, forKey: key)
        }
        _ = try fields.integer(.topK)
        _ = try fields.integer(.seed)
        _ = try fields.decodeIfPresent(String.self, forKey: .user)
        _ = try fields.decodeIfPresent(Bool.self, forKey: .ignoreEOS)
        _ = try fields.decodeIfPresent([String: Double].self, forKey: .logitBias)
        _ = try fields.decodeIfPresent(StopSequences.self, forKey: .stop)
        minTokens = try fields.integer(.minTokens)
        if let minTokens, minTokens < 0 {
            throw RequestFieldError.invalid(fields, .minTokens, "is \(minTokens); expected an integer >= 0")
        }
    }
}

/// `stream_options`.
struct StreamOptions: Decodable {
    var includeUsage: Bool?

    enum CodingKeys: String, CodingKey {
        case includeUsage = "include_usage"
        case continuousUsageStats = "continuous_usage_stats"
    }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        includeUsage = try fields.decodeIfPresent(Bool.self, forKey: .includeUsage)
        if try fields.decodeIfPresent(Bool.self, forKey: .continuousUsageStats) == true {
            throw RequestFieldError.invalid(fields, .continuousUsageStats, "is not supported")
        }
    }
}

/// `stop`: a string or an array of strings (the mock's output ends at `max_tokens`, so they never match).
struct StopSequences: Decodable {
    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if (try? value.decode(String.self)) != nil { return }
        if (try? value.decode([String].self)) != nil { return }
        throw DecodingError.typeMismatch(
            [String].self,
            .init(codingPath: decoder.codingPath, debugDescription: "expected a string or an array of strings"))
    }
}

/// Builds the decoding errors that ``OpenAIError/init(decoding:)`` turns into a 400 naming the field.
enum RequestFieldError {
    /// A field whose value is well-typed but not acceptable.
    static func invalid<Key: CodingKey>(_ fields: KeyedDecodingContainer<Key>, _ key: Key, _ problem: String)
        -> DecodingError
    {
        DecodingError.dataCorrupted(.init(codingPath: fields.codingPath + [key], debugDescription: problem))
    }
}

import Foundation

/// A refusal in OpenAI's shape: an HTTP status and the body `{"error": {"message", "type", "param", "code"}}`,
/// which the official SDKs turn into their typed exceptions (`BadRequestError`, `RateLimitError`, ...).
public struct OpenAIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status: 400 for a request that can never be served as sent, 429 for overload, 503 when the
    /// server cannot serve at all.
    public var status: Int
    /// What is wrong, for a person.
    public var message: String
    /// OpenAI's error class: `invalid_request_error`, `rate_limit_error`, `server_error`, ...
    public var type: String
    /// The request field at fault (`messages[0].content`), if one is.
    public var param: String?
    /// A stable machine-readable reason (`queue_full`, `model_not_found`, `context_length_exceeded`, ...).
    public var code: String?
    /// Seconds after which the client may retry (sent as `Retry-After`), for overload.
    public var retryAfterSeconds: Int?

    /// Creates an error.
    public init(
        status: Int, message: String, type: String, param: String? = nil, code: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A 400: the request is malformed or asks for what this server cannot give.
    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    public var description: String { "\(status) \(type)\(code.map { " (\($0))" } ?? ""): \(message)" }

    /// The JSON body, keys sorted (`param` and `code` are `null` when absent, as OpenAI writes them).
    public func body() -> Data {
        let object: [String: Any] = [
            "error": [
                "message": message, "type": type, "param": param ?? NSNull(), "code": code ?? NSNull(),
            ] as [String: Any]
        ]
        // Strings and nulls only, so serialization cannot fail.
        return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}

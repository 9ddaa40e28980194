/// Turning a failed decode of a request body into the 400 that names the field.
extension OpenAIError {
    /// The 400 for `error`, thrown while decoding a request body: missing field, wrong type, null, a value
    /// out of range, or a body that is not JSON at all.
    init(decoding error: any Error) {
        guard let error = error as? DecodingError else {
            self = .invalidRequest("We could not parse the JSON body of your request: \(error)", code: "invalid_json")
            return
        }
        switch error {
        case .keyNotFound(let key, let context):
            let param = Self.param(context.codingPath + [key])
            self = .invalidRequest(
                "Missing required parameter: '\(param)'.", param: param, code: "missing_required_parameter")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty,
            .valueNotFound(_, let context) where context.codingPath.isEmpty:
            self = .invalidRequest("The request body must be a JSON object.", code: "invalid_json")
        case .typeMismatch(_, let context):
            let param = Self.param(context.codingPath)
            self = .invalidRequest(
                "Invalid type for '\(param)': \(context.debugDescription)", param: param, code: "invalid_type")
        case .valueNotFound(_, let context):
            let param = Self.param(context.codingPath)
            self = .invalidRequest(
                "Invalid value for '\(param)': null is not allowed.", param: param, code: "invalid_type")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let detail = context.underlyingError.map { " (\($0))" } ?? ""
            self = .invalidRequest(
                "We could not parse the JSON body of your request: \(context.debugDescription)\(detail)",
                code: "invalid_json")
        case .dataCorrupted(let context):
            let param = Self.param(context.codingPath)
            self = .invalidRequest(
                "Invalid value for '\(param)': \(context.debugDescription)", param: param, code: "invalid_value")
        @unknown default:
            self = .invalidRequest("We could not parse the JSON body of your request: \(error)", code: "invalid_json")
        }
    }

    /// A coding path as OpenAI names fields: `messages[0].content`.
    static func param(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}

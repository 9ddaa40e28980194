import Foundation
import Testing

@testable import Server

/// Parsing and checking request bodies: what is accepted, and the 400 that names the field otherwise.
@Suite struct GenerationRequestTests {
    static let limits = GenerationLimits(
        model: "deepseek-v3", vocabularySize: 129_280, maxSequenceTokens: 163_840, chatDefaultMaxTokens: 256)

    static func parse(_ json: String, _ endpoint: GenerationRequest.Endpoint = .completions) throws(OpenAIError)
        -> GenerationRequest
    {
        try GenerationRequest(body: Data(json.utf8), endpoint: endpoint, limits: limits)
    }

    static func refusal(_ json: String, _ endpoint: GenerationRequest.Endpoint = .completions) -> OpenAIError? {
        do {
            _ = try parse(json, endpoint)
            return nil
        } catch {
            return error
        }
    }

    @Test func aTextPromptIsCountedAndMaxTokensDefaultsToOpenAIs16() throws {
        let request = try Self.parse(#"{"model": "deepseek-v3", "prompt": "Hello, world!"}"#)
        #expect(request.promptTokenIDs.count == 6)
        #expect(request.maxTokens == 16)
        #expect(!request.stream && !request.includeUsage)
    }

    @Test func tokenIDPromptsAreTakenAsSentInEitherForm() throws {
        let plain = try Self.parse(#"{"model": "deepseek-v3", "prompt": [5, 6, 7], "max_tokens": 2}"#)
        let batch = try Self.parse(#"{"model": "deepseek-v3", "prompt": [[5, 6, 7]], "max_tokens": 2}"#)
        #expect(plain.promptTokenIDs == [5, 6, 7])
        #expect(batch.promptTokenIDs == [5, 6, 7])
        #expect(plain.maxTokens == 2)
    }

    @Test func aChatCountsItsTemplateAndDefaultsToTheServersLength() throws {
        let request = try Self.parse(
            #"{"model": "deepseek-v3", "messages": [{"role": "system", "content": "Be terse."},"#
                + #"{"role": "user", "content": [{"type": "text", "text": "Say"}, {"type": "text", "text": " hi"}]}],"#
                + #""stream": true, "stream_options": {"include_usage": true}}"#, .chatCompletions)
        // (3 template tokens + system 2 + "Be terse." 4) + (3 + user 1 + "Say hi" 2) + 3 priming the reply.
        #expect(request.promptTokenIDs.count == 9 + 6 + 3)
        #expect(request.maxTokens == 256)
        #expect(request.stream && request.includeUsage)
    }

    @Test func maxCompletionTokensWinsOverTheLegacyName() throws {
        let request = try Self.parse(
            #"{"model": "deepseek-v3", "messages": [{"role": "user", "content": "x"}], "max_tokens": 9,"#
                + #""max_completion_tokens": 4}"#, .chatCompletions)
        #expect(request.maxTokens == 4)
    }

    @Test func theDefaultOutputIsCutToTheRoomLeftInTheContext() throws {
        let limits = GenerationLimits(model: "m", vocabularySize: 100, maxSequenceTokens: 10, chatDefaultMaxTokens: 256)
        let request = try GenerationRequest(
            body: Data(#"{"model": "m", "prompt": [1, 2, 3, 4]}"#.utf8), endpoint: .completions, limits: limits)
        #expect(request.maxTokens == 6)
    }

    @Test(arguments: [
        (#"{"prompt": "x"}"#, "model", "missing_required_parameter"),
        (#"{"model": "deepseek-v3"}"#, "prompt", "missing_required_parameter"),
        (#"{"model": "gpt-4", "prompt": "x"}"#, "model", "model_not_found"),
        (#"{"model": "deepseek-v3", "prompt": "x", "max_tokens": "5"}"#, "max_tokens", "invalid_type"),
        (#"{"model": "deepseek-v3", "prompt": "x", "max_tokens": 2.5}"#, "max_tokens", "invalid_value"),
        (#"{"model": "deepseek-v3", "prompt": "x", "max_tokens": 1e30}"#, "max_tokens", "invalid_value"),
        (#"{"model": "deepseek-v3", "prompt": "x", "max_tokens": 0}"#, "max_tokens", "invalid_value"),
        (
            #"{"model": "deepseek-v3", "prompt": "x", "max_tokens": 9223372036854775807}"#, "max_tokens",
            "context_length_exceeded"
        ),
        (#"{"model": "deepseek-v3", "prompt": "x", "stream": "yes"}"#, "stream", "invalid_type"),
        (
            #"{"model": "deepseek-v3", "prompt": "x", "stream_options": {"include_usage": true}}"#, "stream_options",
            "invalid_value"
        ),
        (#"{"model": "deepseek-v3", "prompt": "x", "n": 2}"#, "n", "invalid_value"),
        (#"{"model": "deepseek-v3", "prompt": "x", "temperature": -1}"#, "temperature", "invalid_value"),
        (#"{"model": "deepseek-v3", "prompt": "x", "stop": 5}"#, "stop", "invalid_type"),
        (#"{"model": "deepseek-v3", "prompt": ["a", "b"]}"#, "prompt", "invalid_value"),
        (#"{"model": "deepseek-v3", "prompt": [1, -2]}"#, "prompt", "invalid_token_id"),
        (#"{"model": "deepseek-v3", "prompt": [129280]}"#, "prompt", "invalid_token_id"),
        (#"{"model": "deepseek-v3", "prompt": {"text": "x"}}"#, "prompt", "invalid_type"),
        (#"{"model": "deepseek-v3", "prompt": ""}"#, "prompt", "empty_prompt"),
        (#"{"model": "deepseek-v3", "prompt": "x", "echo": true}"#, "echo", "invalid_value"),
        (#"{"model": "deepseek-v3", "prompt": "x", "max_tokens": 3, "min_tokens": 5}"#, "min_tokens", "invalid_value"),
    ])
    func aBadCompletionIsA400NamingTheField(body: String, param: String, code: String) throws {
        let error = try #require(Self.refusal(body))
        #expect(error.status == 400)
        #expect(error.type == "invalid_request_error")
        #expect(error.param == param, "\(error)")
        #expect(error.code == code, "\(error)")
        #expect(!error.message.isEmpty)
    }

    @Test(arguments: [
        (#"{"model": "deepseek-v3", "messages": []}"#, "messages", "invalid_value"),
        (
            #"{"model": "deepseek-v3", "messages": [{"content": "x"}]}"#, "messages[0].role",
            "missing_required_parameter"
        ),
        (
            #"{"model": "deepseek-v3", "messages": [{"role": "user", "content": 5}]}"#, "messages[0].content",
            "invalid_type"
        ),
        (
            #"{"model": "deepseek-v3", "messages": [{"role": "robot", "content": "x"}]}"#, "messages[0].role",
            "invalid_value"
        ),
        (
            #"{"model": "deepseek-v3", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}"#,
            "messages[0].content[0].type", "invalid_value"
        ),
        (
            #"{"model": "deepseek-v3", "messages": [{"role": "user", "content": "x"}], "logprobs": true}"#, "logprobs",
            "invalid_value"
        ),
    ])
    func aBadChatIsA400NamingTheField(body: String, param: String, code: String) throws {
        let error = try #require(Self.refusal(body, .chatCompletions))
        #expect(error.status == 400)
        #expect(error.param == param, "\(error)")
        #expect(error.code == code, "\(error)")
    }

    @Test(arguments: ["", "{", "[1, 2]", "null", "\"text\"", #"{"model": "deepseek-v3", "prompt": "x""#])
    func aBodyThatIsNotAJSONObjectIsA400WithoutAField(body: String) throws {
        let error = try #require(Self.refusal(body))
        #expect(error.status == 400)
        #expect(error.code == "invalid_json")
        #expect(error.param == nil)
    }

    @Test func theErrorBodyHasOpenAIsFourFields() throws {
        let error = try #require(Self.refusal(#"{"model": "x", "prompt": "y"}"#))
        let object = try #require(try JSONSerialization.jsonObject(with: error.body()) as? [String: [String: Any]])
        #expect(Set(object["error"]?.keys ?? [:].keys) == ["message", "type", "param", "code"])
        #expect(object["error"]?["param"] as? String == "model")
    }
}

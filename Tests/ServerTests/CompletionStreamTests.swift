import Foundation
import MoECore
import Testing

@testable import Engine
@testable import Server

/// How a generation's events become server-sent events.
@Suite struct CompletionStreamTests {
    static func request(_ endpoint: GenerationRequest.Endpoint, maxTokens: Int, usage: Bool) -> GenerationRequest {
        var request = try! GenerationRequest(
            body: Data(#"{"model": "m", "prompt": [1, 2, 3], "stream": true}"#.utf8), endpoint: .completions,
            limits: GenerationLimits(model: "m", vocabularySize: 10, maxSequenceTokens: 100, chatDefaultMaxTokens: 5))
        request.endpoint = endpoint
        request.maxTokens = maxTokens
        request.includeUsage = usage
        return request
    }

    static func token(_ index: Int, _ token: UInt32) -> GenerationEvent {
        .token(GeneratedToken(id: RequestID(1), index: index, token: token, at: .zero))
    }

    static func finished(_ reason: FinishReason, outputTokens: Int) -> GenerationEvent {
        .finished(
            RequestCompletion(
                reason: reason,
                record: RequestRecord(
                    id: RequestID(1), arrival: .zero, promptTokens: 3, outputTokens: outputTokens, firstTokenAt: .zero,
                    endedAt: .zero, outcome: reason == .stop ? .completed : .cancelled, instance: 0)))
    }

    static func payloads(_ frames: [String]) -> [[String: Any]] {
        frames.compactMap { frame in
            #expect(frame.hasPrefix("data: ") && frame.hasSuffix("\n\n"), "\(frame)")
            let json = frame.dropFirst(6).dropLast(2)
            return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        }
    }

    @Test func eachTokenIsOneChunkAndTheLastCarriesTheFinishReason() {
        var stream = CompletionStream(
            request: Self.request(.completions, maxTokens: 3, usage: true), id: "cmpl-1", created: 7, endOfSequence: 1)
        #expect(stream.frames(for: Self.token(0, 40)).count == 1)
        #expect(stream.frames(for: Self.token(1, 41)).count == 1)
        #expect(stream.frames(for: Self.token(2, 1)).isEmpty)  // the end-of-sequence token waits for the end
        let closing = stream.frames(for: Self.finished(.stop, outputTokens: 3))
        #expect(closing.last == "data: [DONE]\n\n")
        let documents = Self.payloads(closing)
        #expect(documents.count == 2)
        let choices = documents[0]["choices"] as? [[String: Any]]
        #expect(choices?.first?["finish_reason"] as? String == "stop")
        #expect(choices?.first?["text"] as? String == "")
        #expect(documents[0]["usage"] is NSNull)
        #expect((documents[1]["choices"] as? [Any])?.isEmpty == true)
        let usage = documents[1]["usage"] as? [String: Any]
        #expect(usage?["prompt_tokens"] as? Int == 3 && usage?["completion_tokens"] as? Int == 3)
        #expect(usage?["total_tokens"] as? Int == 6)
        #expect((usage?["prompt_tokens_details"] as? [String: Int]) == ["cached_tokens": 0])
    }

    @Test func aChatStreamOpensWithTheRoleAndHasNoUsageUnlessAsked() {
        var stream = CompletionStream(
            request: Self.request(.chatCompletions, maxTokens: 2, usage: false), id: "chatcmpl-1", created: 7,
            endOfSequence: 1)
        let first = Self.payloads(stream.frames(for: Self.token(0, 40)))
        #expect(first.first?["object"] as? String == "chat.completion.chunk")
        let delta = ((first.first?["choices"] as? [[String: Any]])?.first?["delta"]) as? [String: String]
        #expect(delta == ["role": "assistant", "content": TokenText.piece(for: 40, isEndOfSequence: false)])
        #expect(first.first?["usage"] == nil)
        // The token at max_tokens is held and sent with its finish reason (`length` when it is not the end).
        #expect(stream.frames(for: Self.token(1, 42)).isEmpty)
        let closing = stream.frames(for: Self.finished(.length, outputTokens: 2))
        #expect(closing.count == 2)
        let last = (Self.payloads(closing).first?["choices"] as? [[String: Any]])?.first
        #expect(last?["finish_reason"] as? String == "length")
        #expect((last?["delta"] as? [String: String])?["content"] == TokenText.piece(for: 42, isEndOfSequence: false))
    }

    @Test func aFailedGenerationEndsWithAnErrorEvent() {
        var stream = CompletionStream(
            request: Self.request(.completions, maxTokens: 5, usage: false), id: "cmpl-1", created: 7, endOfSequence: 1)
        _ = stream.frames(for: Self.token(0, 40))
        let closing = stream.frames(for: Self.finished(.failed("dev3: injected failure"), outputTokens: 1))
        let error = Self.payloads(closing).first?["error"] as? [String: Any]
        #expect(error?["message"] as? String == "dev3: injected failure")
        #expect(error?["code"] as? String == "generation_failed")
        #expect(closing.last == "data: [DONE]\n\n")
    }
}

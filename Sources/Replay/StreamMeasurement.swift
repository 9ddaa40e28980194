import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// What the client saw of one streamed completion: when it was sent, when each chunk with a choice arrived,
/// how it ended, and the server's own counts.
struct StreamMeasurement {
    /// When the request was sent.
    let sentAt: NIODeadline
    /// The response status, once its head arrived.
    private(set) var status: Int?
    /// When the first chunk carrying a choice arrived (the first token).
    private(set) var firstTokenAt: NIODeadline?
    /// When the last such chunk arrived.
    private(set) var lastTokenAt: NIODeadline?
    /// Gaps between consecutive such chunks, in nanoseconds.
    private(set) var gaps: [Int64] = []
    /// Chunks carrying a choice.
    private(set) var chunks = 0
    /// The finish reason of the last choice.
    private(set) var finishReason: String?
    /// `usage`, when the server sent it.
    private(set) var usage: StreamChunk.Usage?
    /// An error the server reported (an error body, or an error event in the stream).
    private(set) var error: StreamChunk.ErrorBody?
    /// When the response ended.
    private(set) var endedAt: NIODeadline?
    private var parser = ServerSentEventParser()
    private var errorBody: [UInt8] = []

    /// The most bytes of an error body kept.
    static let errorBodyLimit = 1 << 16

    init(sentAt: NIODeadline) { self.sentAt = sentAt }

    /// Takes in one part of the response.
    mutating func take(_ timed: TimedResponsePart) {
        switch timed.part {
        case .head(let head):
            status = Int(head.status.code)
        case .body(let bytes):
            guard status == 200 else {
                errorBody.append(contentsOf: bytes.readableBytesView.prefix(Self.errorBodyLimit - errorBody.count))
                return
            }
            for event in parser.feed(bytes) { takeEvent(event, at: timed.arrival) }
        case .end:
            endedAt = timed.arrival
            if status != 200 { error = try? JSONDecoder().decode(StreamChunk.self, from: Data(errorBody)).error }
        }
    }

    private mutating func takeEvent(_ data: [UInt8], at arrival: NIODeadline) {
        guard !data.elementsEqual("[DONE]".utf8) else { return }
        guard let chunk = try? JSONDecoder().decode(StreamChunk.self, from: Data(data)) else { return }
        if let error = chunk.error { self.error = error }
        if let usage = chunk.usage { self.usage = usage }
        guard let choice = chunk.choices?.first else { return }
        if let last = lastTokenAt { gaps.append((arrival - last).nanoseconds) } else { firstTokenAt = arrival }
        lastTokenAt = arrival
        chunks += 1
        if let reason = choice.finishReason { finishReason = reason }
    }
}

/// The fields of a completion chunk (or error body) the client reads; the rest is ignored, so any
/// OpenAI-compatible server's chunks decode.
struct StreamChunk: Decodable {
    struct Choice: Decodable {
        var finishReason: String?

        enum CodingKeys: String, CodingKey { case finishReason = "finish_reason" }
    }

    struct Usage: Decodable {
        struct Details: Decodable {
            var cachedTokens: Int?

            enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
        }

        var promptTokens: Int?
        var completionTokens: Int?
        /// `prompt_tokens_details` (OpenAI; vLLM with `--enable-prompt-tokens-details`).
        var promptTokensDetails: Details?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case promptTokensDetails = "prompt_tokens_details"
        }
    }

    struct ErrorBody: Decodable {
        var message: String?
        var code: String?

        enum CodingKeys: String, CodingKey { case message, code }

        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            message = try? fields.decodeIfPresent(String.self, forKey: .message)
            // vLLM writes a number here, OpenAI and MoEServe a string.
            code =
                (try? fields.decodeIfPresent(String.self, forKey: .code))
                ?? (try? fields.decodeIfPresent(Int.self, forKey: .code)).flatMap { $0.map(String.init) }
        }
    }

    var choices: [Choice]?
    var usage: Usage?
    var error: ErrorBody?
}

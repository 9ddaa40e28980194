import MoECore
import NIOCore
import Testing

@testable import Replay

/// The replay client's parts: URLs, the event-stream parser and the prompts it sends.
@Suite struct ReplayClientTests {
    @Test(arguments: [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, ""), ("http://localhost:8000/v1", "localhost", 8000, ""),
        ("http://gateway/openai/v1/", "gateway", 80, "/openai"), ("http://[::1]:9000", "::1", 9000, ""),
    ])
    func serverURLsAreParsed(url: String, host: String, port: Int, base: String) throws {
        let endpoint = try ServerEndpoint(url: url)
        #expect(endpoint.host == host && endpoint.port == port && endpoint.basePath == base)
        #expect(endpoint.path("/v1/completions") == base + "/v1/completions")
    }

    @Test(arguments: ["https://api.openai.com", "127.0.0.1:8000", "http://:8000", "http://host:0", "http://host:x"])
    func badServerURLsAreRefusedSayingWhy(url: String) {
        #expect(throws: ReplayError.self) { try ServerEndpoint(url: url) }
    }

    @Test func eventsAreFoundHoweverTheBytesAreSplit() {
        let stream = "data: {\"a\":1}\n\n: keep-alive\n\ndata: two\r\ndata: lines\r\n\r\nevent: x\ndata:[DONE]\n\n"
        let bytes = Array(stream.utf8)
        for size in [1, 2, 3, 7, bytes.count] {
            var parser = ServerSentEventParser()
            var events: [String] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                let piece = ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)])
                events += parser.feed(piece).map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(events == ["{\"a\":1}", "two\nlines", "[DONE]"], "pieces of \(size)")
        }
    }

    @Test func promptsShareTokensExactlyWhereTheTraceSharesBlocks() {
        let shared = RequestSpec(
            id: RequestID(1), arrival: .zero, promptTokens: 1_500, outputTokens: 1, prefixBlockHashes: [11, 12, 13])
        var other = shared
        other.id = RequestID(2)
        other.prefixBlockHashes = [11, 12, 99]
        let first = PromptTokens.ids(for: shared)
        let second = PromptTokens.ids(for: other)
        #expect(first.count == 1_500 && second.count == 1_500)
        #expect(first[0..<1_024] == second[0..<1_024])
        #expect(first[1_024...] != second[1_024...])
        #expect(first.allSatisfy { $0 >= 100 && $0 < 30_100 })
        // Without hashes, requests share nothing.
        let plain = RequestSpec(id: RequestID(3), arrival: .zero, promptTokens: 64, outputTokens: 1)
        var another = plain
        another.id = RequestID(4)
        #expect(PromptTokens.ids(for: plain) != PromptTokens.ids(for: another))
        #expect(PromptTokens.ids(for: plain) == PromptTokens.ids(for: plain))
    }

    @Test func theReplayClockScalesBothWays() {
        let clock = ReplayClock(origin: NIODeadline.uptimeNanoseconds(1_000_000_000), timeFactor: 0.25)
        let wall = clock.wallTime(of: .seconds(8))
        #expect(wall == NIODeadline.uptimeNanoseconds(3_000_000_000))
        #expect(clock.traceTime(of: wall) == .seconds(8))
        #expect(clock.traceDuration(.milliseconds(10)) == .milliseconds(40))
    }
}

import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import TestSupport
import Testing

@testable import Replay

extension ServedBinaryTests {
    /// A client that goes away has its request cancelled at once: its KV blocks are freed and it is counted as
    /// aborted, whether it was streaming or waiting for a whole answer.
    @Suite struct ClientDisconnectTests {
        static let abortSeries = #"vllm:request_success_total{finished_reason="abort",model_name="mixtral-8x7b"}"#
        static let runningSeries = #"vllm:num_requests_running{engine="0",model_name="mixtral-8x7b"}"#
        static let kvSeries = #"vllm:kv_cache_usage_perc{engine="0",model_name="mixtral-8x7b"}"#

        @Test func aStreamingClientThatDisconnectsHasItsRequestCancelled() async throws {
            let directory = try TemporaryDirectory()
            let server = try await ServerProcess(["--scenario", ServerFixtures.smallScenario(in: directory)])
            // 30,000 tokens at real time would stream for minutes; the client leaves after three.
            let answer = try await ServerFixtures.stream(port: server.port, maxTokens: 30_000) { $0 < 3 }
            #expect(answer.status == 200 && answer.chunks == 3)
            let cancelled = await ServerFixtures.eventually {
                try await HTTPExchange.metric(Self.abortSeries, port: server.port) == 1
            }
            #expect(cancelled)
            #expect(try await HTTPExchange.metric(Self.runningSeries, port: server.port) == 0)
            #expect(try await HTTPExchange.metric(Self.kvSeries, port: server.port) == 0)
            #expect(await server.stop() == 0)
        }

        @Test func aClientThatLeavesBeforeAWholeAnswerHasItsRequestCancelled() async throws {
            let directory = try TemporaryDirectory()
            let server = try await ServerProcess(["--scenario", ServerFixtures.smallScenario(in: directory)])
            let body = try JSONSerialization.data(withJSONObject: [
                "model": "mixtral-8x7b", "prompt": "A long answer, please.", "max_tokens": 30_000,
            ])
            let client = try HTTPStreamingClient(
                endpoint: ServerEndpoint(url: server.url), group: MultiThreadedEventLoopGroup.singleton)
            let connection = try await client.connect()
            try await connection.channel.executeThenClose { _, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/completions")
                head.headers.add(name: "Content-Length", value: String(body.count))
                try await outbound.write(contentsOf: [
                    .head(head), .body(.byteBuffer(ByteBuffer(data: body))), .end(nil),
                ])
                // Wait until the request runs, then hang up without reading anything.
                let running = await ServerFixtures.eventually {
                    try await HTTPExchange.metric(Self.runningSeries, port: server.port) == 1
                }
                #expect(running)
            }
            let cancelled = await ServerFixtures.eventually {
                try await HTTPExchange.metric(Self.abortSeries, port: server.port) == 1
            }
            #expect(cancelled)
            #expect(try await HTTPExchange.metric(Self.runningSeries, port: server.port) == 0)
            #expect(await server.stop() == 0)
        }
    }
}

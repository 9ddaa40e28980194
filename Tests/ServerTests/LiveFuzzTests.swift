import Foundation
import TestSupport
import Testing

extension ServedBinaryTests {
    /// Fuzzed bodies, huge lengths and oversized uploads sent to the running server: each is answered (200 when
    /// valid, else 400 or 413 with an OpenAI-style error), the server stays up, and its books add up.
    @Suite struct LiveFuzzTests {
        @Test func malformedRequestsAreAnsweredAndTheServerStaysUp() async throws {
            let directory = try TemporaryDirectory()
            let server = try await ServerProcess([
                "--scenario", ServerFixtures.smallScenario(in: directory), "--time-factor", "0",
            ])
            var fuzzer = RequestFuzzer(seed: 42)
            var statuses: [Int: Int] = [:]
            for _ in 0..<400 {
                let (route, body) = fuzzer.next(model: "mixtral-8x7b")
                let answer = try await HTTPExchange.send(.POST, route.rawValue, port: server.port, body: body)
                statuses[answer.status, default: 0] += 1
                if answer.status != 200 {
                    #expect(answer.status == 400, "\(answer.text)")
                    #expect((answer.error?["message"] as? String)?.isEmpty == false, "\(answer.text)")
                }
            }
            #expect((statuses[200] ?? 0) > 10 && (statuses[400] ?? 0) > 200, "\(statuses)")

            let huge = try await HTTPExchange.post(
                "/v1/completions", port: server.port,
                json: ["model": "mixtral-8x7b", "prompt": "x", "max_tokens": Int.max])
            #expect(huge.status == 400 && huge.error?["code"] as? String == "context_length_exceeded")
            let upload = try await HTTPExchange.send(
                .POST, "/v1/completions", port: server.port, body: Data(repeating: UInt8(ascii: " "), count: 9 << 20))
            #expect(upload.status == 413 && upload.error?["code"] as? String == "request_too_large")
            let wrongMethod = try await HTTPExchange.send(.GET, "/v1/completions", port: server.port)
            #expect(wrongMethod.status == 404 || wrongMethod.status == 405)
            #expect(wrongMethod.error?["message"] is String)

            #expect(try await HTTPExchange.send(.GET, "/health", port: server.port).status == 200)
            let valid = try await HTTPExchange.post(
                "/v1/completions", port: server.port, json: ["model": "mixtral-8x7b", "prompt": "Still up?"])
            #expect(valid.status == 200 && valid.json?["object"] as? String == "text_completion")
            let counted = try await HTTPExchange.metric(
                #"moeserve:http_responses_total{code="400",model_name="mixtral-8x7b"}"#, port: server.port)
            #expect(counted == Double((statuses[400] ?? 0) + 1))
            #expect(await server.stop() == 0)
        }
    }
}

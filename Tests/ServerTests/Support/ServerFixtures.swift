import Foundation
import NIOCore
import NIOFoundationCompat
import NIOPosix
import TestSupport
import Testing

@testable import Replay

/// Scenarios and streamed requests for the tests that run `moeserve serve`.
enum ServerFixtures {
    /// Mixtral-8x7B on one instance of two H100s, whose scheduler runs `runningLimit` sequences and queues
    /// `waitingLimit` more (the file lives in `directory`).
    static func smallScenario(in directory: TemporaryDirectory, runningLimit: Int = 64, waitingLimit: Int = 1_024)
        throws -> String
    {
        try directory.write(
            "server-test.yaml",
            """
            name: server-test
            model: mixtral-8x7b
            cluster: {host: hgx-h100, nodes: 1}
            deployment:
              instances:
                - {role: colocated, count: 1, devices_per_instance: 2, attention_tp: 2, ep: 2}
            scheduler: {max_num_seqs: \(runningLimit), max_waiting: \(waitingLimit)}
            workload:
              generator: {kind: poisson, rate: 2, lengths: {input_tokens: 100, output_tokens: 10}}
              limit: 10
            """)
    }

    /// What a streamed completion delivered.
    struct StreamedAnswer: Sendable {
        var status = 0
        var retryAfter: String?
        var errorCode: String?
        /// Chunks carrying a choice.
        var chunks = 0
        var finishReason: String?
        var sawDone = false
    }

    /// Why a test ended a stream early.
    struct StopReading: Error {}

    /// Streams a completion of `maxTokens` tokens from the server at `port`, calling `onChunk` with the count
    /// of chunks so far after each; `onChunk` returning false closes the connection at once.
    static func stream(
        port: Int, model: String = "mixtral-8x7b", prompt: String = "Count the experts.", maxTokens: Int,
        onChunk: @Sendable (Int) -> Bool = { _ in true }
    ) async throws -> StreamedAnswer {
        let body: [String: Any] = ["model": model, "prompt": prompt, "max_tokens": maxTokens, "stream": true]
        let client = try HTTPStreamingClient(
            endpoint: ServerEndpoint(url: "http://127.0.0.1:\(port)"), group: MultiThreadedEventLoopGroup.singleton)
        var answer = StreamedAnswer()
        var parser = ServerSentEventParser()
        var errorBody = Data()
        do {
            try await client.connect().exchange(
                .POST, "/v1/completions", body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
            ) { timed in
                switch timed.part {
                case .head(let head):
                    answer.status = Int(head.status.code)
                    answer.retryAfter = head.headers.first(name: "Retry-After")
                case .body(let bytes) where answer.status != 200:
                    errorBody.append(contentsOf: bytes.readableBytesView)
                case .body(let bytes):
                    for event in parser.feed(bytes) {
                        if event.elementsEqual("[DONE]".utf8) {
                            answer.sawDone = true
                            continue
                        }
                        let chunk = try JSONSerialization.jsonObject(with: Data(event)) as? [String: Any]
                        guard let choice = (chunk?["choices"] as? [[String: Any]])?.first else { continue }
                        answer.chunks += 1
                        answer.finishReason = choice["finish_reason"] as? String ?? answer.finishReason
                        if !onChunk(answer.chunks) { throw StopReading() }
                    }
                case .end:
                    let error = (try? JSONSerialization.jsonObject(with: errorBody)) as? [String: [String: Any]]
                    answer.errorCode = error?["error"]?["code"] as? String
                }
            }
        } catch is StopReading {}
        return answer
    }

    /// Polls `condition` every 50 ms for up to `timeout` (a throw counts as not yet); true once it holds.
    static func eventually(within timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (try? await condition()) == true
    }
}

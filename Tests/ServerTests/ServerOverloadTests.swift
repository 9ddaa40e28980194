import Foundation
import Synchronization
import TestSupport
import Testing

extension ServedBinaryTests {
    /// Many clients at once against a small queue: the excess is refused at once with 429 and `Retry-After`, the
    /// queue never holds more than its bound, every client gets an answer, and the server's memory stays flat
    /// from one wave to the next.
    @Suite struct ServerOverloadTests {
        static let waitingSeries = #"vllm:num_requests_waiting{engine="0",model_name="mixtral-8x7b"}"#

        @Test func aStormOfClientsGetsAnswersOr429sInBoundedMemory() async throws {
            let directory = try TemporaryDirectory()
            let scenario = try ServerFixtures.smallScenario(in: directory, runningLimit: 4, waitingLimit: 8)
            let server = try await ServerProcess(["--scenario", scenario])
            let clients = 300
            var residents: [Int] = []
            for wave in 0..<3 {
                let peakWaiting = Mutex(0.0)
                let sampling = Task {
                    while !Task.isCancelled {
                        let waiting = try await HTTPExchange.metric(Self.waitingSeries, port: server.port) ?? 0
                        peakWaiting.withLock { $0 = max($0, waiting) }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                let answers = try await withThrowingTaskGroup(of: ServerFixtures.StreamedAnswer.self) { group in
                    for client in 0..<clients {
                        group.addTask {
                            try await ServerFixtures.stream(
                                port: server.port, prompt: "wave \(wave) client \(client)", maxTokens: 24)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                sampling.cancel()
                let served = answers.filter { $0.status == 200 }
                let refused = answers.filter { $0.status == 429 }
                #expect(served.count + refused.count == clients, "statuses \(Set(answers.map(\.status)))")
                #expect(served.count >= 12, "served \(served.count)")
                #expect(refused.count >= clients / 2, "refused \(refused.count)")
                #expect(served.allSatisfy { $0.chunks == 24 && $0.finishReason == "stop" && $0.sawDone })
                #expect(refused.allSatisfy { $0.retryAfter == "1" && $0.errorCode == "queue_full" })
                #expect(peakWaiting.withLock { $0 } <= 8)
                residents.append(try #require(server.residentBytes))
            }
            let rejected = try await HTTPExchange.metric(
                #"moeserve:requests_rejected_total{model_name="mixtral-8x7b"}"#, port: server.port)
            #expect((rejected ?? 0) >= Double(3 * clients / 2))
            // The first wave warms allocator arenas and buffers; later waves must not keep growing.
            print("overload: resident memory after each wave of \(clients) clients: \(residents.map { $0 >> 20 }) MiB")
            #expect(residents[2] - residents[1] < 16 << 20, "\(residents)")
            #expect(residents.max()! < 512 << 20, "\(residents)")
            #expect(await server.stop() == 0)
        }
    }
}

import Foundation
import TestSupport
import Testing

extension ServedBinaryTests {
    /// SIGTERM stops new connections and lets requests in flight finish before the process exits cleanly.
    @Suite struct GracefulShutdownTests {
        @Test func sigtermDrainsTheStreamInFlightThenExits() async throws {
            let directory = try TemporaryDirectory()
            let server = try await ServerProcess(["--scenario", ServerFixtures.smallScenario(in: directory)])
            let (started, signalled) = AsyncStream.makeStream(of: Void.self)
            // About 15 ms a token at real time: the stream outlives the signal by a second or two.
            let streaming = Task {
                try await ServerFixtures.stream(port: server.port, maxTokens: 120) { chunks in
                    if chunks == 1 { signalled.yield() }
                    return true
                }
            }
            for await _ in started { break }
            kill(server.process.processIdentifier, SIGTERM)
            let refusesNewClients = await ServerFixtures.eventually(within: .seconds(5)) {
                do {
                    _ = try await HTTPExchange.send(.GET, "/health", port: server.port)
                    return false
                } catch {
                    return true
                }
            }
            #expect(refusesNewClients)
            let answer = try await streaming.value
            #expect(answer.status == 200)
            #expect(answer.chunks == 120 && answer.finishReason == "stop" && answer.sawDone)
            #expect(await server.exitStatus(within: .seconds(30)) == 0, "\(server.text.standardError)")
            #expect(server.text.standardOutput.contains("shut down"))
        }
    }
}

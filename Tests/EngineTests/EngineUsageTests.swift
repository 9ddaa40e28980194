import Engine
import MoECore
import TestSupport
import Testing

/// The example of `Docs/Engine.md`, kept word for word: how a user's own test drives the engine.
@Suite struct EngineUsageTests {
    @Test func serveDeepSeekV3WithTheMockBackend() async throws {
        // Start an engine on a scenario's deployment, with the mock MoE backend as fast as it can go.
        let scenario = try Scenario.load(file: SharedData.packageFile("Simulations/default.yaml"))
        let engine = try ServingEngine(scenario: scenario, mock: .init(seed: 1, timeFactor: 0))

        // Submit a request and stream its tokens.
        let request = RequestSpec(id: RequestID(1), arrival: .zero, promptTokens: 512, outputTokens: 32)
        var tokens: [UInt32] = []
        for await event in try await engine.submit(request) {
            switch event {
            case .token(let token): tokens.append(token.token)
            case .finished(let completion):
                #expect(completion.reason == .stop)
                #expect(completion.record.outputTokens == 32)
            }
        }
        #expect(tokens.count == 32)

        // Cancel a long request after its fifth token: its KV blocks are freed at once.
        let long = RequestSpec(id: RequestID(2), arrival: .zero, promptTokens: 2_048, outputTokens: 100_000)
        let stream = try await engine.submit(long)
        for await event in stream {
            if case .token(let token) = event, token.index == 4 { stream.cancel() }
            if case .finished(let completion) = event { #expect(completion.reason == .cancelled) }
        }

        // Inspect the metrics a Prometheus page shows.
        let metrics = await engine.metrics()
        #expect(metrics.requestsRunning == 0 && metrics.requestsWaiting == 0)
        #expect(metrics.kvCacheUsage == 0)
        #expect(metrics.requests.stopped == 1 && metrics.requests.cancelled == 1)
        #expect(metrics.promptTokensTotal == 512 + 2_048)
        #expect(metrics.generationTokensTotal >= 32 + 5)
        #expect(metrics.timeToFirstToken.count == 2)
        #expect(metrics.e2eRequestLatency.count == 1)
        #expect(metrics.interTokenLatency.count == metrics.generationTokensTotal - 2)

        // Every request's account, in the shape the simulator reports too.
        let records = await engine.finishedRecords()
        #expect(records.map(\.outcome) == [.completed, .cancelled])
        await engine.shutdown()
    }
}

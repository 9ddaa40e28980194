import Deployment
import Engine
import MoECore
import Testing

extension EngineLoadTests {
    /// Thousands of clients at once, submitting through both APIs and cancelling at random, on an engine
    /// whose KV cache is small enough to preempt and whose queue is short enough to refuse.
    @Suite struct EngineConcurrencyTests {
        static let requests = 3_000
        static let clients = 8

        @Test func concurrentSubmissionsWithRandomCancellationsEachEndExactlyOnceAndFreeTheirBlocks() async throws {
            let engine = try ServingEngine(
                scenario: EngineFixtures.tinyScenario(maxWaiting: 1_100), mock: .init(seed: 11, timeFactor: 0))
            let log = EventLog()
            let streamed = await withTaskGroup(of: [RequestID: StreamOutcome].self) { group in
                for client in 0..<Self.clients {
                    group.addTask { await Self.runClient(client, engine: engine, log: log) }
                }
                return await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
            }
            await engine.drain()
            let callbackRequests = Self.requests - streamed.count
            await log.waitForFinishes(callbackRequests)

            // Every request has exactly one record; callback clients saw exactly one finish and contiguous tokens.
            let records = await engine.finishedRecords()
            #expect(records.count == Self.requests)
            #expect(Set(records.map(\.id)).count == Self.requests)
            var outcomes: [String: Int] = [:]
            for record in records {
                outcomes["\(record.outcome)".prefix(while: { $0 != "(" }).description, default: 0] += 1
                if let stream = streamed[record.id] {
                    if case .finished(let completion, let tokens) = stream {
                        #expect(completion.record == record)
                        #expect(tokens == record.outputTokens)
                    }
                    continue
                }
                let completions = log.completions(of: record.id)
                #expect(completions.count == 1, "\(record.id) finished \(completions.count) times")
                #expect(completions.first?.record == record)
                let indices = log.tokens(of: record.id).map(\.index)
                #expect(indices == Array(0..<record.outputTokens), "\(record.id) tokens \(indices.count)")
            }
            #expect(outcomes["completed", default: 0] > 0)
            #expect(outcomes["cancelled", default: 0] > 0)
            #expect(outcomes["rejected", default: 0] > 0)
            #expect(outcomes["failed", default: 0] == 0)

            // Nothing is left holding KV blocks, and the schedulers' books balance.
            let metrics = await engine.metrics()
            #expect(metrics.requests.ended == Self.requests && metrics.requests.inFlight == 0)
            #expect(metrics.requestsRunning == 0 && metrics.requestsWaiting == 0)
            #expect(metrics.kvCacheUsage == 0)
            for instance in metrics.instances { #expect(instance.kvBlocksFree == instance.kvBlocksTotal) }
            #expect(metrics.preemptionsTotal > 0, "the test is meant to run the KV cache out")
            #expect(await engine.invariantViolations() == [])
            await engine.shutdown()
        }

        /// How a streaming client's request went, as the client saw it.
        enum StreamOutcome: Sendable {
            /// The client read to the end: the completion and the number of tokens it read.
            case finished(RequestCompletion, tokens: Int)
            /// The client stopped reading (disconnected) or was refused.
            case abandoned
        }

        /// One client: every other request by callback, the rest by stream; about a third cancelled, by handle,
        /// by dropping the stream part-way, or by cancelling the reading task; one in a hundred too large.
        static func runClient(_ client: Int, engine: ServingEngine, log: EventLog) async -> [RequestID: StreamOutcome] {
            var generator = SeededGenerator(seed: UInt64(100 + client))
            var outcomes: [RequestID: StreamOutcome] = [:]
            await withTaskGroup(of: (RequestID, StreamOutcome).self) { readers in
                for number in stride(from: client, to: requests, by: clients) {
                    // One request in a hundred can never fit the KV cache and is refused whatever the timing;
                    // others are refused when they find the queue full.
                    let prompt = number % 100 == 99 ? 10_000 : Int.random(in: 16...300, using: &generator)
                    let request = EngineFixtures.request(
                        number, prompt: prompt, output: Int.random(in: 1...48, using: &generator))
                    let cancellation = Int.random(in: 0..<9, using: &generator)
                    let after = Int.random(in: 0..<8, using: &generator)
                    if number % 2 == 0 {
                        let handle = engine.submit(request) { log.record($0) }
                        if cancellation < 3 {
                            for _ in 0..<after { await Task.yield() }
                            handle.cancel()
                        }
                        continue
                    }
                    readers.addTask {
                        guard let stream = try? await engine.submit(request) else { return (request.id, .abandoned) }
                        return (request.id, await read(stream, cancellation: cancellation, after: after))
                    }
                }
                for await (id, outcome) in readers { outcomes[id] = outcome }
            }
            return outcomes
        }

        /// Reads `stream`; `cancellation` 0 stops after `after` tokens (a disconnect), 1 cancels the reading task,
        /// 2 cancels through the stream, anything else reads to the end.
        static func read(_ stream: GenerationStream, cancellation: Int, after: Int) async -> StreamOutcome {
            switch cancellation {
            case 0:
                var seen = 0
                for await event in stream {
                    if case .finished(let completion) = event { return .finished(completion, tokens: seen) }
                    seen += 1
                    if seen > after { return .abandoned }
                }
                return .abandoned
            case 1:
                let reader = Task { try await stream.collect() }
                reader.cancel()
                guard let result = try? await reader.value else { return .abandoned }
                return .finished(result.completion, tokens: result.tokens.count)
            default:
                if cancellation == 2 { stream.cancel() }
                guard let result = try? await stream.collect() else { return .abandoned }
                return .finished(result.completion, tokens: result.tokens.count)
            }
        }
    }
}

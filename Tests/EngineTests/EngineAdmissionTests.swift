import Deployment
import Engine
import MoECore
import Scheduling
import Testing

/// Admission control, the bounded queue, cancellation mid-step and the ways a request can end.
@Suite struct EngineAdmissionTests {
    /// A one-instance tiny engine on `backend`. The step timeout is only a backstop here: a held step is released
    /// by the test itself, which on a loaded machine may take a while to be scheduled.
    static let heldStepTimeout = SimDuration.seconds(300)

    static func engine(
        _ backend: ScriptedBackend, maxWaiting: Int = 16_384, stepTimeout: SimDuration? = heldStepTimeout
    )
        throws -> ServingEngine
    {
        let plan = try DeploymentPlan(scenario: EngineFixtures.tinyScenario(maxWaiting: maxWaiting, instances: 1))
        return try ServingEngine(plan: plan, backend: backend, configuration: .init(stepTimeout: stepTimeout))
    }

    @Test func aFullQueueRefusesWithTheSchedulersReasonWhileAStepRuns() async throws {
        let backend = ScriptedBackend(.held)
        let engine = try Self.engine(backend, maxWaiting: 2)
        let first = try await engine.submit(EngineFixtures.request(0, prompt: 64, output: 4))
        await backend.waitForSteps(1)
        // While the step runs, arrivals queue (admission overlaps the device) until the queue is full.
        let queued = [
            try await engine.submit(EngineFixtures.request(1, prompt: 64, output: 4)),
            try await engine.submit(EngineFixtures.request(2, prompt: 64, output: 4)),
        ]
        await #expect(throws: EngineRejection.refused(.queueFull(capacity: 2))) {
            try await engine.submit(EngineFixtures.request(3, prompt: 64, output: 4))
        }
        #expect(EngineRejection.refused(.queueFull(capacity: 2)).isOverload)
        let metrics = await engine.metrics()
        #expect(metrics.requestsRunning == 1 && metrics.requestsWaiting == 2)
        #expect(metrics.requests.rejected == 1)
        let refused = try #require(await engine.finishedRecords().first)
        #expect(refused.id == RequestID(3))
        #expect(refused.outcome == .rejected(reason: "waiting queue full (2 requests)"))

        let drained = Task { await engine.drain() }
        while await engine.metrics().requests.inFlight > 0 {
            backend.release()
            await Task.yield()
        }
        await drained.value
        for stream in [first] + queued {
            let result = try await stream.collect()
            #expect(result.tokens == [1000, 1001, 1002, 1003])
            #expect(result.completion.reason == .stop)
        }
        await engine.shutdown()
    }

    @Test func cancellingARequestMidStepFreesItsBlocksAtOnceAndEndsItsStream() async throws {
        let backend = ScriptedBackend(.held)
        let engine = try Self.engine(backend)
        let stream = try await engine.submit(EngineFixtures.request(7, prompt: 300, output: 50))
        await backend.waitForSteps(1)
        let before = try #require(await engine.metrics().instances.first)
        #expect(before.kvBlocksFree < before.kvBlocksTotal)
        stream.cancel()
        let result = try await stream.collect()  // ends although the step is still held
        #expect(result.completion.reason == .cancelled)
        #expect(result.completion.record.outcome == .cancelled)
        let after = try #require(await engine.metrics().instances.first)
        #expect(after.kvBlocksFree == after.kvBlocksTotal)
        backend.release()  // the step's output for the cancelled request is ignored
        await engine.drain()
        #expect(await engine.metrics().generationTokensTotal == 0)
        #expect(await engine.invariantViolations() == [])
    }

    @Test func aNewRequestReusingACancelledOnesIDGetsNoneOfItsTokens() async throws {
        let backend = ScriptedBackend(.held)
        let engine = try Self.engine(backend)
        let old = try await engine.submit(EngineFixtures.request(5, prompt: 64, output: 3))
        await backend.waitForSteps(1)
        old.cancel()
        _ = try await old.collect()
        let new = try await engine.submit(EngineFixtures.request(5, prompt: 64, output: 3))
        let drained = Task { await engine.drain() }
        while await engine.metrics().requests.inFlight > 0 {
            backend.release()  // the first release completes the old request's step, sampling a token for id 5
            await Task.yield()
        }
        await drained.value
        let result = try await new.collect()
        #expect(result.tokens == [1000, 1001, 1002])
        #expect(result.completion.reason == .stop)
    }

    @Test func refusalsNameTheirReason() async throws {
        let backend = ScriptedBackend(.held)
        let engine = try Self.engine(backend)
        // Keep the stream: dropping it would cancel the request, as a disconnecting client does.
        let first = try await engine.submit(EngineFixtures.request(1, prompt: 64, output: 4))
        await #expect(throws: EngineRejection.refused(.duplicateID)) {
            try await engine.submit(EngineFixtures.request(1, prompt: 64, output: 4))
        }
        await #expect(throws: EngineRejection.refused(.exceedsKVCapacity(requiredBlocks: 626, totalBlocks: 320))) {
            try await engine.submit(EngineFixtures.request(2, prompt: 10_000, output: 10))
        }
        await #expect(throws: EngineRejection.refused(.invalidRequest("outputTokens is 0; expected at least 1"))) {
            try await engine.submit(EngineFixtures.request(3, prompt: 10, output: 0))
        }
        // The callback style delivers the refusal as the request's one event.
        let log = EventLog()
        engine.submit(EngineFixtures.request(4, prompt: 10_000, output: 10)) { log.record($0) }
        await log.waitForFinishes(1)
        let completion = try #require(log.completions(of: RequestID(4)).first)
        #expect(completion.reason == .rejected(.refused(.exceedsKVCapacity(requiredBlocks: 626, totalBlocks: 320))))
        #expect(completion.reason.openAIFinishReason == "abort")
        #expect(completion.record.outcome == .rejected(reason: "needs 626 KV blocks but the cache has 320"))

        let drained = Task { await engine.drain() }
        await #expect(throws: EngineRejection.shuttingDown) {
            while true {
                _ = try await engine.submit(EngineFixtures.request(5, prompt: 64, output: 4))
                await Task.yield()
            }
        }
        while await engine.metrics().requests.inFlight > 0 {
            backend.release()
            await Task.yield()
        }
        await drained.value
        #expect(await engine.metrics().requests.rejected >= 5)
        #expect(try await first.collect().completion.reason == .stop)
    }

    @Test func anEndOfSequenceTokenBeforeMaxTokensStopsTheRequestAndReleasesIt() async throws {
        let engine = try Self.engine(ScriptedBackend(.immediate, stopIndex: 2))
        let result = try await engine.submit(EngineFixtures.request(1, prompt: 100, output: 10)).collect()
        #expect(result.tokens == [1000, 1001, 1002])
        #expect(result.completion.reason == .stop)
        #expect(result.completion.record.outputTokens == 3)
        let metrics = await engine.metrics()
        #expect(metrics.requests.stopped == 1 && metrics.kvCacheUsage == 0)
        #expect(await engine.invariantViolations() == [])
    }

    @Test func aRequestWithoutAnEndOfSequenceTokenEndsOnLength() async throws {
        let engine = try Self.engine(ScriptedBackend(.immediate, stopsAtLength: false))
        let result = try await engine.submit(EngineFixtures.request(1, prompt: 100, output: 5)).collect()
        #expect(result.tokens.count == 5)
        #expect(result.completion.reason == .length)
        #expect(result.completion.reason.openAIFinishReason == "length")
        #expect(await engine.metrics().requests.reachedLength == 1)
    }

    @Test func aStepThatNeverCompletesFailsItsRequestsAfterTheTimeoutInsteadOfHanging() async throws {
        let engine = try Self.engine(ScriptedBackend(.never), stepTimeout: .milliseconds(50))
        let result = try await engine.submit(EngineFixtures.request(1, prompt: 100, output: 5)).collect()
        guard case .failed(let reason) = result.completion.reason else {
            Issue.record("expected a failure, got \(result.completion.reason)")
            return
        }
        #expect(reason == "colocated-0 stopped: step 0 did not complete within 50 ms")
        await #expect(throws: EngineRejection.noServingInstance("colocated-0: \(reason)")) {
            try await engine.submit(EngineFixtures.request(2, prompt: 100, output: 5))
        }
        let metrics = await engine.metrics()
        #expect(metrics.requests.failed == 1 && metrics.kvCacheUsage == 0)
        #expect(await engine.invariantViolations() == [])
    }

    @Test func aBackendThatLosesATokenStopsItsInstanceWithTheReason() async throws {
        let engine = try Self.engine(ScriptedBackend(.missingToken))
        let result = try await engine.submit(EngineFixtures.request(1, prompt: 100, output: 5)).collect()
        #expect(
            result.completion.reason
                == .failed("colocated-0 stopped at step 0: backend returned 0 tokens for a step that samples more"))
    }

    @Test func leastOutstandingRoutingSendsArrivalsWhereFewestRequestsAre() async throws {
        let backend = ScriptedBackend(.held)
        let plan = try DeploymentPlan(scenario: EngineFixtures.tinyScenario())
        let engine = try ServingEngine(
            plan: plan, backend: backend,
            configuration: .init(routing: .leastOutstanding, stepTimeout: Self.heldStepTimeout))
        let first = try await engine.submit(EngineFixtures.request(0, prompt: 64, output: 2))
        let second = try await engine.submit(EngineFixtures.request(1, prompt: 64, output: 2))
        let third = try await engine.submit(EngineFixtures.request(2, prompt: 64, output: 2))
        second.cancel()
        _ = try await second.collect()
        // Instance 0 holds two requests and instance 1 none, so the next two arrivals go to instance 1.
        let fourth = try await engine.submit(EngineFixtures.request(3, prompt: 64, output: 2))
        let fifth = try await engine.submit(EngineFixtures.request(4, prompt: 64, output: 2))
        let drained = Task { await engine.drain() }
        while await engine.metrics().requests.inFlight > 0 {
            backend.release()
            await Task.yield()
        }
        await drained.value
        var instances: [Int?] = []
        for stream in [first, third, fourth, fifth] {
            instances.append(try await stream.collect().completion.record.instance)
        }
        #expect(instances == [0, 0, 1, 1])
    }

    @Test func disaggregatedDeploymentsAreRefusedWithAReason() throws {
        let plan = try DeploymentPlan(scenario: EngineFixtures.shipped("deepseek-v3-h800-disaggregated.yaml"))
        #expect(throws: EngineStartError.self) { try ServingEngine(plan: plan, backend: ScriptedBackend(.immediate)) }
        do {
            _ = try ServingEngine(plan: plan, backend: ScriptedBackend(.immediate))
        } catch {
            #expect("\(error)".hasPrefix("prefill-0: is a prefill instance; the engine serves colocated instances"))
        }
    }
}

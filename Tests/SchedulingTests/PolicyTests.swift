import MoECore
import Scheduling
import Testing

@Suite struct PolicyTests {
    @Test func aHigherPriorityArrivalPreemptsLowerPriorityRunningWork() throws {
        let configuration = SchedulerConfiguration(policy: .priority)
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 20))
        _ = scheduler.enqueue(request(1, prompt: 1000, output: 200, priority: 0), now: .zero)
        _ = scheduler.step()
        #expect(scheduler.runningRequestIDs == [RequestID(1)])
        _ = scheduler.enqueue(request(2, prompt: 1000, output: 10, priority: 5), now: .zero)
        let stepped = scheduler.step()
        let batch = try #require(stepped?.batch)
        #expect(batch.preempted == [RequestID(1)])
        #expect(batch.entries.map(\.id) == [RequestID(2)])
        #expect(scheduler.preemptionsTotal == 1)
        let (_, events) = scheduler.runToCompletion()
        #expect(events.contains(.finished(RequestID(1), at: events.last!.finishTime, outputTokens: 200)))
        #expect(scheduler.invariantViolations().isEmpty)
    }

    @Test func equalOrLowerPriorityArrivalsWait() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(policy: .priority), kvCache: Scenario.cache(blocks: 20))
        _ = scheduler.enqueue(request(1, prompt: 1000, output: 200, priority: 3), now: .zero)
        _ = scheduler.step()
        _ = scheduler.enqueue(request(2, prompt: 1000, output: 10, priority: 3), now: .zero)
        let stepped = scheduler.step()
        let batch = try #require(stepped?.batch)
        #expect(batch.preempted.isEmpty)
        #expect(batch.entries.map(\.id) == [RequestID(1)])
    }

    @Test func deadlinePolicyAdmitsTheEarliestTTFTDeadlineFirst() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(maxNumSeqs: 1, policy: .deadline),
            kvCache: Scenario.cache(blocks: 100))
        _ = scheduler.enqueue(request(1, prompt: 100, output: 1, ttft: nil), now: .zero)
        _ = scheduler.enqueue(request(2, prompt: 100, output: 1, ttft: .seconds(5)), now: .zero)
        _ = scheduler.enqueue(request(3, prompt: 100, output: 1, ttft: .seconds(1), arrival: .seconds(1)), now: .zero)
        _ = scheduler.enqueue(request(4, prompt: 100, output: 1, ttft: .seconds(0.5)), now: .zero)
        let order = scheduler.runToCompletion().batches.flatMap { $0.entries.map(\.id.value) }
        #expect(order == [4, 3, 2, 1])
    }

    @Test func chunkedPrefillSplitsALongPromptByTheThreshold() throws {
        let configuration = SchedulerConfiguration(maxNumBatchedTokens: 2048, longPrefillTokenThreshold: 1000)
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 200))
        _ = scheduler.enqueue(request(1, prompt: 3500, output: 2), now: .zero)
        _ = scheduler.enqueue(request(2, prompt: 300, output: 2), now: .zero)
        let (batches, events) = scheduler.runToCompletion()
        #expect(batches[0].entries.map(\.newTokens) == [1000, 300])
        #expect(batches[1].entries.map(\.newTokens) == [1000, 1])
        #expect(batches.prefix(4).map { $0.entries[0].newTokens } == [1000, 1000, 1000, 500])
        #expect(events.filter { if case .firstToken(RequestID(1), _) = $0 { true } else { false } }.count == 1)
        // Quadratic attention of the second chunk: 1000 new tokens after 1000 cached.
        #expect(batches[1].prefillAttentionPairs == 1000 * 1000 + 1000 * 1001 / 2)
        #expect(batches[1].decodeSequences == 1 && batches[1].decodeContextTokens == 301)
    }

    @Test func withoutChunkingAPromptRunsWholeOrWaits() throws {
        let configuration = SchedulerConfiguration(maxNumBatchedTokens: 4096, chunkedPrefill: false)
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 500))
        _ = scheduler.enqueue(request(1, prompt: 3000, output: 3), now: .zero)
        _ = scheduler.enqueue(request(2, prompt: 3000, output: 3), now: .zero)
        let (batches, _) = scheduler.runToCompletion()
        #expect(batches[0].entries.map(\.newTokens) == [3000])
        #expect(batches[1].entries.map(\.newTokens) == [1, 3000])
    }

    @Test func reserveAdmissionHoldsBackWhatEagerAdmissionLetsIn() throws {
        let cache = Scenario.cache(blocks: 100)  // 6,400 tokens
        func admittedAfterOneStep(_ admission: AdmissionStyle) throws -> Int {
            var scheduler = try BatchScheduler(
                configuration: SchedulerConfiguration(admission: admission), kvCache: cache)
            _ = scheduler.enqueue(request(1, prompt: 64, output: 4000), now: .zero)
            _ = scheduler.step()
            _ = scheduler.enqueue(request(2, prompt: 1000, output: 3000), now: .zero)
            _ = scheduler.step()
            return scheduler.runningCount
        }
        #expect(try admittedAfterOneStep(.eager) == 2)
        // SGLang keeps 0.699 x 3,999 = 2,795 tokens for the runner (ratio decayed one step) and 3,000 for the
        // candidate's output: 1,024 + 3,000 + 2,795 > 98 free blocks x 64 = 6,272.
        #expect(try admittedAfterOneStep(.reserve(.sglang)) == 1)
    }

    @Test func cancellingFreesKVAtOnceEvenWithABatchInFlight() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(), kvCache: Scenario.cache(blocks: 100))
        _ = scheduler.enqueue(request(1, prompt: 640, output: 50), now: .zero)
        _ = scheduler.enqueue(request(2, prompt: 640, output: 50), now: .zero)
        let scheduled = scheduler.schedule(now: .zero)
        let batch = try #require(scheduled)
        #expect(scheduler.freeBlocks == 100 - 20)
        let cancelled1 = scheduler.cancel(RequestID(1), now: .zero)
        #expect(cancelled1)
        #expect(scheduler.freeBlocks == 100 - 10)
        let events = scheduler.commit(batch, now: .zero + .milliseconds(10))
        #expect(events.map(\.requestID) == [RequestID(2)])
        let cancelled1Again = scheduler.cancel(RequestID(1), now: .zero)
        #expect(!cancelled1Again)
        let cancelled2 = scheduler.cancel(RequestID(2), now: .zero)
        #expect(cancelled2)
        #expect(scheduler.freeBlocks == 100 && scheduler.isIdle && scheduler.cancelledTotal == 2)
        #expect(scheduler.invariantViolations().isEmpty)
    }

    @Test func batchStatisticsDescribeTheStep() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(maxNumSeqs: 2), kvCache: Scenario.cache(blocks: 10))
        for id in 1...3 { _ = scheduler.enqueue(request(UInt64(id), prompt: 100, output: 5), now: .zero) }
        let scheduled = scheduler.schedule(now: .zero)
        let batch = try #require(scheduled)
        #expect(
            batch.statistics
                == SchedulerStatistics(
                    running: 2, waiting: 1, preemptionsTotal: 0, kvUsage: 0.4, cacheHitTokens: .zero, batchTokens: 200))
        #expect(batch.prefillTokens == 200 && batch.prefillSequences == 2 && batch.prefillAttentionPairs == 2 * 5050)
    }

    @Test func advanceDecodeReportsTheContextOfEveryStepInClosedForm() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(), kvCache: Scenario.cache(blocks: 100))
        _ = scheduler.enqueue(request(1, prompt: 100, output: 30), now: .zero)
        _ = scheduler.enqueue(request(2, prompt: 200, output: 20), now: .zero)
        _ = scheduler.step()
        #expect(scheduler.decodeStepsUntilChange() == 19)
        let advance = scheduler.advanceDecode(steps: 19, now: .seconds(1))
        #expect(advance.firstStepContextTokens == 101 + 201)
        #expect(advance.contextTokens(atStep: 19) == 302 + 18 * 2)
        #expect(advance.events == [.finished(RequestID(2), at: .seconds(1), outputTokens: 20)])
        #expect(scheduler.runningRequestIDs == [RequestID(1)])
        #expect(scheduler.decodeStepsUntilChange() == 10)
    }
}

extension RequestEvent {
    var finishTime: SimTime {
        switch self {
        case .firstToken(_, let time), .finished(_, let time, _): time
        }
    }
}

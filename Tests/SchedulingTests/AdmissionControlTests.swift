import MoECore
import Scheduling
import Testing

@Suite struct AdmissionControlTests {
    @Test func aFullWaitingQueueRejectsWithItsCapacity() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(maxWaitingRequests: 2), kvCache: Scenario.cache(blocks: 100))
        #expect(scheduler.enqueue(request(1, prompt: 10), now: .zero) == .admitted)
        #expect(scheduler.enqueue(request(2, prompt: 10), now: .zero) == .admitted)
        #expect(scheduler.enqueue(request(3, prompt: 10), now: .zero) == .rejected(.queueFull(capacity: 2)))
        #expect(scheduler.rejectedTotal == 1)
        _ = scheduler.step()
        #expect(scheduler.enqueue(request(3, prompt: 10), now: .zero) == .admitted)
    }

    @Test func aPredictedTimeToFirstTokenBeyondTheObjectiveIsRejected() throws {
        let configuration = SchedulerConfiguration(predictedPrefillTokensPerSecond: 1000)
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 100))
        #expect(scheduler.enqueue(request(1, prompt: 500, ttft: .seconds(1)), now: .zero) == .admitted)
        #expect(
            scheduler.enqueue(request(2, prompt: 600, ttft: .seconds(1)), now: .zero)
                == .rejected(.predictedTTFTExceedsSLO(predicted: .seconds(1.1), objective: .seconds(1))))
        #expect(scheduler.enqueue(request(3, prompt: 400, ttft: .seconds(1)), now: .zero) == .admitted)
        #expect(scheduler.enqueue(request(4, prompt: 5000), now: .zero) == .admitted)  // no objective, no check
        // Time already spent waiting before the enqueue counts too.
        var late = request(5, prompt: 1, ttft: .seconds(3))
        late.arrival = .zero
        #expect(!scheduler.enqueue(late, now: .seconds(2.5)).isAdmitted)
    }

    @Test func requestsThatCanNeverRunAreRejectedWithTheReason() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(maxNumBatchedTokens: 2048, chunkedPrefill: false),
            kvCache: Scenario.cache(blocks: 10))
        #expect(
            scheduler.enqueue(request(1, prompt: 600, output: 100), now: .zero)
                == .rejected(.exceedsKVCapacity(requiredBlocks: 11, totalBlocks: 10)))
        #expect(
            scheduler.enqueue(request(2, prompt: 3000), now: .zero)
                == .rejected(.exceedsKVCapacity(requiredBlocks: 47, totalBlocks: 10)))
        #expect(scheduler.enqueue(request(3, prompt: 0), now: .zero) != .admitted)
        #expect(scheduler.enqueue(request(4, prompt: 5, output: 0), now: .zero) != .admitted)
        #expect(scheduler.enqueue(request(5, prompt: 500), now: .zero) == .admitted)
        #expect(scheduler.enqueue(request(5, prompt: 500), now: .zero) == .rejected(.duplicateID))
        var odd = request(6, prompt: 500, hashes: [1])
        odd.prefixBlockTokens = 100
        guard case .rejected(.invalidRequest(let why)) = scheduler.enqueue(odd, now: .zero) else {
            Issue.record("an incompatible prefix block size must be rejected")
            return
        }
        #expect(why.contains("prefixBlockTokens"))
    }

    @Test func aPromptLongerThanTheBudgetIsRejectedWhenChunkingIsOff() throws {
        var scheduler = try BatchScheduler(
            configuration: SchedulerConfiguration(maxNumBatchedTokens: 2048, chunkedPrefill: false),
            kvCache: Scenario.cache(blocks: 1000))
        #expect(
            scheduler.enqueue(request(1, prompt: 3000), now: .zero)
                == .rejected(.promptExceedsTokenBudget(promptTokens: 3000, maxNumBatchedTokens: 2048)))
    }

    @Test func invalidConfigurationsNameTheField() {
        func field(_ configuration: SchedulerConfiguration, _ cache: KVCacheConfiguration = Scenario.cache(blocks: 8))
            -> String?
        {
            do {
                _ = try BatchScheduler(configuration: configuration, kvCache: cache)
                return nil
            } catch { return error.field }
        }
        #expect(field(SchedulerConfiguration(maxNumSeqs: 0)) == "maxNumSeqs")
        #expect(field(SchedulerConfiguration(maxNumBatchedTokens: -1)) == "maxNumBatchedTokens")
        #expect(field(SchedulerConfiguration(blockSize: 0)) == "blockSize")
        #expect(field(SchedulerConfiguration(predictedPrefillTokensPerSecond: 0)) == "predictedPrefillTokensPerSecond")
        #expect(
            field(SchedulerConfiguration(admission: .reserve(ReserveAdmission(decaySteps: 0))))
                == "admission.reserve.decaySteps")
        #expect(field(SchedulerConfiguration(), Scenario.cache(blocks: 0)) == "kvCache.totalBlocks")
        #expect(
            field(SchedulerConfiguration(), Scenario.cache(blocks: 8, hostBlocks: -1))
                == "kvCache.hostTier.capacityBlocks")
        #expect(field(SchedulerConfiguration()) == nil)
        let error = ConfigurationError(field: "maxNumSeqs", value: "0", expected: "at least 1")
        #expect(error.description == "invalid maxNumSeqs = 0: expected at least 1")
    }
}

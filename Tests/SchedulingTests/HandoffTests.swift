import MoECore
import Scheduling
import Testing

/// Requests that arrive with work done elsewhere: a prefill/decode hand-off, a move off a failed instance,
/// prompt blocks held by the cluster's shared context cache.
@Suite struct HandoffTests {
    let configuration = SchedulerConfiguration(maxNumSeqs: 8)

    @Test func aHandedOffRequestDecodesFromItsFirstStepWithoutPrefill() throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 100))
        let handoff = RequestHandoff(generatedTokens: 1, transferredTokens: 1000)
        #expect(scheduler.enqueue(request(1, prompt: 1000, output: 5), now: .zero, handoff: handoff) == .admitted)
        #expect(scheduler.pendingPrefillTokens == 0)
        let stepped = scheduler.step()
        let (batch, _) = try #require(stepped)
        #expect(batch.prefillTokens == 0)
        #expect(batch.decodeSequences == 1)
        #expect(batch.decodeContextTokens == 1001)
        #expect(batch.prefixHitTokens == .zero)
        #expect(scheduler.usedBlocks == 16)  // 1,001 tokens in 64-token blocks
        let rest = scheduler.runToCompletion()
        // Five tokens asked for, one produced by the prefill instance: three more steps after this one.
        #expect(rest.batches.count == 3)
        #expect(rest.events.last == .finished(RequestID(1), at: .zero + .milliseconds(30), outputTokens: 5))
        #expect(scheduler.invariantViolations().isEmpty)
    }

    @Test func aRequestMovedOffAFailedInstancePrefillsItsPromptAndGeneratedTokensAgain() throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 100))
        let handoff = RequestHandoff(generatedTokens: 3)
        #expect(scheduler.enqueue(request(1, prompt: 500, output: 6), now: .zero, handoff: handoff) == .admitted)
        let stepped = scheduler.step()
        let (batch, events) = try #require(stepped)
        #expect(batch.prefillTokens == 503)
        #expect(events.isEmpty)  // no second first token: the request had its first token elsewhere
        let rest = scheduler.runToCompletion()
        #expect(rest.batches.count == 2)
        #expect(rest.events == [.finished(RequestID(1), at: .zero + .milliseconds(20), outputTokens: 6)])
    }

    @Test(arguments: [
        RequestHandoff(generatedTokens: 4), RequestHandoff(generatedTokens: -1),
        RequestHandoff(generatedTokens: 0, transferredTokens: 100),
        RequestHandoff(generatedTokens: 1, transferredTokens: 99), RequestHandoff(contextCacheTokens: -64),
    ])
    func aHandoffThatDoesNotFitTheRequestIsRefusedWithAReason(handoff: RequestHandoff) throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 100))
        let decision = scheduler.enqueue(request(1, prompt: 100, output: 4), now: .zero, handoff: handoff)
        guard case .rejected(.invalidRequest(let why)) = decision else {
            Issue.record("expected an invalid-request refusal, got \(decision)")
            return
        }
        #expect(why.contains("hand-off"))
        #expect(scheduler.isIdle)
    }

    @Test func contextCacheBlocksAreDiskHitsLoadedAtTheSharedCachesRate() throws {
        var cache = Scenario.cache(blocks: 100)
        cache.contextCacheLoadBandwidth = .gigabytesPerSecond(40)
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: cache)
        // The shared cache holds the first two 512-token trace blocks: 16 KV blocks of 64 tokens.
        let handoff = RequestHandoff(contextCacheTokens: 1024)
        let spec = request(1, prompt: 1600, hashes: [11, 12, 13, 14])
        #expect(scheduler.enqueue(spec, now: .zero, handoff: handoff) == .admitted)
        let stepped = scheduler.step()
        let (batch, _) = try #require(stepped)
        #expect(batch.prefixHitTokens == TierTokens(disk: 1024))
        #expect(batch.prefillTokens == 576)
        let entry = try #require(batch.entries.first)
        #expect(entry.diskHitTokens == 1024 && entry.hostHitTokens == 0 && entry.contextTokens == 1024)
        #expect(cache.diskLoadBandwidth == .gigabytesPerSecond(40))
        #expect(scheduler.invariantViolations().isEmpty)
    }

    @Test func localHitsComeBeforeTheSharedCacheAndTheSharedCacheExtendsThem() throws {
        var cache = Scenario.cache(blocks: 200)
        cache.contextCacheLoadBandwidth = .gigabytesPerSecond(40)
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: cache)
        _ = scheduler.enqueue(request(1, prompt: 600, hashes: [21, 22]), now: .zero)
        scheduler.runToCompletion()  // publishes 9 KV blocks in HBM: 599 prompt tokens, the last one excluded
        let spec = request(2, prompt: 2000, hashes: [21, 22, 23, 24])
        #expect(scheduler.cachedPrefixBlocks(BatchScheduler.prefixBlockHashes(of: spec, blockSize: 64)) == 9)
        _ = scheduler.enqueue(spec, now: .zero, handoff: RequestHandoff(contextCacheTokens: 1536))
        let stepped = scheduler.step()
        let (batch, _) = try #require(stepped)
        #expect(batch.prefixHitTokens == TierTokens(hbm: 576, disk: 960))  // 24 blocks in all, the shared cache's
    }

    @Test func contextCacheTokensAreIgnoredByAnInstanceThatDoesNotReadTheSharedCache() throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 100))
        let spec = request(1, prompt: 1600, hashes: [11, 12, 13, 14])
        _ = scheduler.enqueue(spec, now: .zero, handoff: RequestHandoff(contextCacheTokens: 1024))
        let stepped = scheduler.step()
        let (batch, _) = try #require(stepped)
        #expect(batch.prefixHitTokens == .zero)
        #expect(batch.prefillTokens == 1600)
    }

    @Test func aSharedCacheAndAnOwnDiskTierCannotBeCombined() {
        var cache = Scenario.cache(blocks: 100, diskBlocks: 100)
        cache.contextCacheLoadBandwidth = .gigabytesPerSecond(40)
        #expect(throws: ConfigurationError.self) { try BatchScheduler(configuration: configuration, kvCache: cache) }
    }
}

@Suite struct ContextCacheTests {
    static let bytesPerToken = Scenario.bytesPerToken

    /// A cache of `blocks` blocks of 512 tokens.
    static func cache(blocks: Int, ttl: SimDuration? = nil) -> ContextCache {
        ContextCache(
            capacity: Bytes(bytesPerToken.count * 512 * Int64(blocks)), bytesPerToken: bytesPerToken, blockTokens: 512,
            timeToLive: ttl)
    }

    @Test func aStoredPromptIsFoundByItsLeadingBlocks() {
        var cache = Self.cache(blocks: 10)
        #expect(cache.capacityBlocks == 10)
        #expect(cache.lookUp([1, 2, 3], now: .zero) == 0)
        cache.store([1, 2, 3], now: .zero)
        #expect(cache.lookUp([1, 2, 3, 4], now: .seconds(1)) == 3)
        #expect(cache.lookUp([1, 9, 3], now: .seconds(1)) == 1)  // chained: a miss ends the prefix
        #expect(cache.statistics.hitBlocks == 4 && cache.statistics.requestedBlocks == 10)
        #expect(cache.statistics.lookups == 3)
    }

    @Test func theLeastRecentlyUsedBlocksGoFirstAndAPrefixLosesItsTailFirst() {
        var cache = Self.cache(blocks: 4)
        cache.store([1, 2], now: .zero)
        cache.store([7, 8], now: .seconds(1))
        _ = cache.lookUp([1, 2], now: .seconds(2))  // 1 and 2 are now the most recent
        cache.store([5], now: .seconds(3))  // evicts 8, the tail of the older prefix
        #expect(cache.lookUp([7, 8], now: .seconds(4)) == 1)
        #expect(cache.lookUp([1, 2], now: .seconds(4)) == 2)
        #expect(cache.statistics.evictedBlocks == 1)
        #expect(cache.heldBlocks == 4)
    }

    @Test func blocksUnusedForLongerThanTheTimeToLiveAreGone() {
        var cache = Self.cache(blocks: 10, ttl: .seconds(60))
        cache.store([1, 2], now: .zero)
        #expect(cache.lookUp([1, 2], now: .seconds(59)) == 2)
        #expect(cache.lookUp([1, 2], now: .seconds(120)) == 0)
        #expect(cache.statistics.expiredBlocks >= 1)
        cache.store([3], now: .seconds(200))  // the expired block 2 is dropped from the old end
        #expect(cache.heldBlocks == 1)
    }
}

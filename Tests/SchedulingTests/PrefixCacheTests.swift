import MoECore
import Scheduling
import Testing

@Suite struct PrefixCacheTests {
    let configuration = SchedulerConfiguration(maxNumSeqs: 4)

    @Test func mooncakeBlocksOf512TokensMapOntoEight64TokenBlocksEach() throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 1000))
        #expect(scheduler.enqueue(request(1, prompt: 1100, hashes: [70, 71, 72]), now: .zero) == .admitted)
        scheduler.runToCompletion()
        #expect(scheduler.enqueue(request(2, prompt: 1100, hashes: [70, 71, 72]), now: .zero) == .admitted)
        let stepped = scheduler.step()
        let batch = try #require(stepped?.batch)
        // Two whole trace blocks give 16 KV blocks; the third trace block is partial (76 prompt tokens), but its
        // first 64-token sub-block lies wholly inside the prompt: 17 blocks, 1,088 tokens.
        #expect(batch.prefixHitTokens == TierTokens(hbm: 1088))
        #expect(batch.entries.first?.contextTokens == 1088)
        #expect(batch.prefillTokens == 1100 - 1088)
        #expect(scheduler.invariantViolations().isEmpty)
    }

    @Test func theLastPromptTokenIsAlwaysComputed() throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 1000))
        _ = scheduler.enqueue(request(1, prompt: 1024, hashes: [5, 6]), now: .zero)
        scheduler.runToCompletion()
        _ = scheduler.enqueue(request(2, prompt: 1024, hashes: [5, 6]), now: .zero)
        let stepped = scheduler.step()
        let batch = try #require(stepped?.batch)
        #expect(batch.prefixHitTokens.hbm == 960)  // 15 of 16 blocks: block 16 holds the last prompt token
        #expect(batch.prefillTokens == 64)
    }

    @Test func aDivergentChainHitsOnlyTheCommonPrefix() throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 1000))
        _ = scheduler.enqueue(request(1, prompt: 1600, hashes: [1, 2, 3]), now: .zero)
        scheduler.runToCompletion()
        _ = scheduler.enqueue(request(2, prompt: 1600, hashes: [1, 9, 10]), now: .zero)
        let stepped = scheduler.step()
        let batch = try #require(stepped?.batch)
        #expect(batch.prefixHitTokens.total == 512)
    }

    @Test func blocksEvictedFromHBMAreFoundInTheHostTierAndCountedThere() throws {
        var scheduler = try BatchScheduler(
            configuration: configuration, kvCache: Scenario.cache(blocks: 40, hostBlocks: 100))
        _ = scheduler.enqueue(request(1, prompt: 1100, hashes: [1, 2, 3]), now: .zero)
        scheduler.runToCompletion()
        _ = scheduler.enqueue(request(2, prompt: 2500, output: 1), now: .zero)  // fills HBM, evicting the prefix
        scheduler.runToCompletion()
        #expect(scheduler.evictedBlocksTotal == 17)
        _ = scheduler.enqueue(request(3, prompt: 1100, hashes: [1, 2, 3]), now: .zero)
        let stepped = scheduler.step()
        let batch = try #require(stepped?.batch)
        #expect(batch.prefixHitTokens == TierTokens(host: 1088))
        #expect(batch.statistics.cacheHitTokens.host == 1088)
        let tier = try #require(scheduler.kvCacheConfiguration.hostTier)
        let load = scheduler.kvCacheConfiguration.loadTime(tokens: batch.prefixHitTokens.host, from: tier)
        #expect(load == .seconds(1088 * 70_272 / 25e9))
        #expect(scheduler.invariantViolations().isEmpty)
    }

    @Test func withoutAHostTierEvictedBlocksFallToDisk() throws {
        var scheduler = try BatchScheduler(
            configuration: configuration, kvCache: Scenario.cache(blocks: 40, diskBlocks: 100))
        _ = scheduler.enqueue(request(1, prompt: 1100, hashes: [1, 2, 3]), now: .zero)
        scheduler.runToCompletion()
        _ = scheduler.enqueue(request(2, prompt: 2500, output: 1), now: .zero)
        scheduler.runToCompletion()
        _ = scheduler.enqueue(request(3, prompt: 1100, hashes: [1, 2, 3]), now: .zero)
        let stepped = scheduler.step()
        let batch = try #require(stepped?.batch)
        #expect(batch.prefixHitTokens == TierTokens(disk: 1088))
        #expect(scheduler.cacheHitTokensTotal.disk == 1088)
    }

    @Test func prefixCachingOffNeverHits() throws {
        var cache = Scenario.cache(blocks: 1000)
        cache.prefixCaching = false
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: cache)
        _ = scheduler.enqueue(request(1, prompt: 1100, hashes: [1, 2, 3]), now: .zero)
        scheduler.runToCompletion()
        _ = scheduler.enqueue(request(2, prompt: 1100, hashes: [1, 2, 3]), now: .zero)
        let stepped = scheduler.step()
        #expect(try #require(stepped?.batch).prefixHitTokens == .zero)
    }

    @Test func concurrentRequestsShareOnePrefixBlockSet() throws {
        var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 1000))
        _ = scheduler.enqueue(request(1, prompt: 1100, output: 50, hashes: [1, 2, 3]), now: .zero)
        _ = scheduler.step()
        let alone = scheduler.freeBlocks
        _ = scheduler.enqueue(request(2, prompt: 1100, output: 50, hashes: [1, 2, 3]), now: .zero)
        _ = scheduler.step()
        // The second request shares 17 blocks and adds one for its unshared 12-token tail.
        #expect(alone - scheduler.freeBlocks == 1)
        #expect(scheduler.invariantViolations().isEmpty)
    }
}

@Suite struct TierSizingTests {
    @Test func aTierSizedInBytesHoldsWholeBlocks() {
        #expect(Scenario.bytesPerToken == Bytes(70_272))
        // 100 GB of host DRAM over 64-token blocks of 4,497,408 bytes: 22,235 whole blocks.
        let tier = KVCacheTier(
            capacity: .gigabytes(100), bytesPerToken: Scenario.bytesPerToken, blockSize: 64,
            loadBandwidth: .gigabytesPerSecond(25))
        #expect(tier.capacityBlocks == 22_235)
        #expect(
            KVCacheConfiguration.blocks(fitting: Bytes(4_497_407), bytesPerToken: Scenario.bytesPerToken, blockSize: 64)
                == 0)
    }
}

@Suite struct LargeBlockPrefixTests {
    @Test func aKVBlockSpanningTraceBlocksIsKeyedByTheLastOneItCovers() throws {
        let configuration = SchedulerConfiguration(blockSize: 1024)
        func hits(first: [UInt64], second: [UInt64]) throws -> Int {
            var scheduler = try BatchScheduler(configuration: configuration, kvCache: Scenario.cache(blocks: 50))
            _ = scheduler.enqueue(request(1, prompt: 3000, hashes: first), now: .zero)
            scheduler.runToCompletion()
            _ = scheduler.enqueue(request(2, prompt: 3000, hashes: second), now: .zero)
            let stepped = scheduler.step()
            return try #require(stepped?.batch).prefixHitTokens.hbm
        }
        #expect(try hits(first: [1, 2, 3, 4, 5, 6], second: [1, 2, 3, 4, 5, 6]) == 2048)
        #expect(try hits(first: [1, 2, 3, 4, 5, 6], second: [1, 2, 3, 9, 10, 11]) == 1024)
        #expect(try hits(first: [1, 2, 3, 4, 5, 6], second: [1, 9, 10, 11, 12, 13]) == 0)
    }
}

import Deployment
import MoECore
import Reports
import Simulation
import TestSupport
import Testing

/// Routing by prefix-cache affinity, and the context cache on disk the cluster shares.
@Suite struct CacheRoutingTests {
    @Test func cacheAwareRoutingRaisesTheHitRateOverRoundRobinOnTheMooncakeSlice() throws {
        var scenario = try shippedScenario("default.yaml")
        scenario.contextCache = nil  // the instances' own HBM caches decide the hits
        let turns = try simulate(scenario, router: .roundRobin)
        let affinity = try simulate(scenario, router: .cacheAware)
        let cost = try simulate(scenario, router: .kvCost)
        expectConservation(cost)
        expectConservation(turns)
        expectConservation(affinity)
        let roundRobin = try #require(turns.report.cacheHitRate)
        let cacheAware = try #require(affinity.report.cacheHitRate)
        let kvCost = try #require(cost.report.cacheHitRate)
        print("hit rate round robin \(roundRobin), SGLang's cache aware \(cacheAware), Dynamo's KV cost \(kvCost)")
        #expect(kvCost > roundRobin)
        // An EP16 instance holds 1.9 M KV tokens (about 136 of these 14,000-token prompts), so LRU eviction
        // caps what affinity can keep; the shared context cache on disk lifts that cap (test below).
        #expect(cacheAware > roundRobin * 1.2, "cache-aware \(cacheAware), round robin \(roundRobin)")
        #expect(affinity.report.context.router == "cache_aware")
        // Without piling every conversation onto one instance: both instances keep serving.
        #expect(affinity.report.instanceActivity.allSatisfy { $0.completed > 300 })
    }

    @Test func sglangsPolicyFollowsTheCacheUnlessRequestCountsAreOutOfBalance() {
        var router = CacheAwareRouter()
        var cached = InstanceLoad(index: 0, role: .colocated)
        cached.cachedPrefixTokens = 3000
        cached.runningRequests = 40
        cached.cachedKVBlocks = 50
        var other = InstanceLoad(index: 1, role: .colocated)
        other.runningRequests = 10
        other.cachedKVBlocks = 5
        var third = InstanceLoad(index: 2, role: .colocated)
        third.runningRequests = 12
        third.cachedKVBlocks = 2
        let request = RequestSpec(id: RequestID(0), arrival: .zero, promptTokens: 5000, outputTokens: 100)
        // 30 requests apart: balanced enough; 60% of the prompt is cached on instance 0.
        #expect(router.route(request, among: [cached, other, third]) == 0)
        // Under half cached: the smallest prefix cache takes it.
        cached.cachedPrefixTokens = 2000
        #expect(router.route(request, among: [cached, other, third]) == 2)
        // 33 requests apart and 4 times as many: the least busy instance, whatever it caches.
        cached.cachedPrefixTokens = 5000
        cached.runningRequests = 43
        #expect(router.route(request, among: [cached, other, third]) == 1)
    }

    @Test func theDynamoCostSendsARequestWhereItsPrefixIsUnlessThatInstanceIsBusier() {
        var router = KVCostRouter()
        var cached = InstanceLoad(index: 0, role: .colocated)
        cached.cachedPrefixTokens = 4096
        var empty = InstanceLoad(index: 1, role: .colocated)
        let request = RequestSpec(id: RequestID(0), arrival: .zero, promptTokens: 5000, outputTokens: 100)
        #expect(router.route(request, among: [empty, cached]) == 1)
        // 4,096 tokens of affinity are outweighed by 8,192 more tokens of work waiting there.
        cached.pendingPrefillTokens = 8192
        #expect(router.route(request, among: [empty, cached]) == 0)
        empty.usedKVBlocks = 100  // 6,400 KV tokens held: the cached instance is cheaper again
        #expect(router.route(request, among: [empty, cached]) == 1)
    }

    @Test func theSharedContextCacheServesPrefixesAcrossInstancesFromDisk() throws {
        var scenario = try shippedScenario("default.yaml")
        #expect(scenario.contextCache == ScenarioContextCache(capacity: .gigabytes(50_000)))
        scenario.contextCache = nil
        let without = try simulate(scenario)
        scenario.contextCache = ScenarioContextCache(capacity: .gigabytes(20_000))
        let with = try simulate(scenario)
        expectConservation(without)
        expectConservation(with)
        let before = try #require(without.report.cacheHitRate)
        let after = try #require(with.report.cacheHitRate)
        let tiers = try #require(with.report.cacheHitRateByTier)
        print("hit rate without \(before), with the context cache \(after), by tier \(tiers)")
        #expect(after > before * 1.5)
        #expect(tiers.disk > 0.05 && abs(tiers.hbm + tiers.host + tiers.disk - after) < 1e-12)
        let cache = try #require(with.report.dynamics?.contextCache)
        let statistics = cache.statistics
        #expect(statistics.lookups == with.report.metrics.arrived && statistics.hitBlocks > 0)
        #expect(statistics.evictedBlocks == 0)
        // Disk hits skip prefill compute but pay their load: a prefix-load phase with a price per cached token.
        let cost = try #require(with.report.costSummary(.usage))
        #expect(cost.phases.prefixLoad > 0)
        #expect(try #require(cost.perMillionCachedInputTokens) > 0)
        #expect(try #require(cost.perMillionInputTokens) > 0)
        // Revenue bills cached tokens at the price list's cache-hit price.
        let quote = try #require(with.report.context.priceQuotes.first)
        let tokens = TokenCounts(with.report.metrics)
        #expect(tokens.cachedInput == with.report.metrics.cachedInputTokens)
        let expected =
            (Double(tokens.uncachedInput) * quote.inputPerMillionTokens.amount + Double(tokens.cachedInput)
                * (quote.cachedInputPerMillionTokens?.amount ?? 0) + Double(tokens.output)
                * quote.outputPerMillionTokens.amount) / 1e6
        #expect(abs(cost.margin(selling: tokens, at: quote).revenue.amount - expected) < 1e-9)
    }

    @Test func aSmallContextCacheEvictsAndHitsLess() throws {
        var scenario = try shippedScenario("default.yaml")
        scenario.workload.limit = 800
        scenario.contextCache = ScenarioContextCache(capacity: .gigabytes(20_000))
        let roomy = try simulate(scenario)
        scenario.contextCache = ScenarioContextCache(capacity: .gigabytes(200))
        let small = try simulate(scenario)
        expectConservation(small)
        let roomyCache = try #require(roomy.report.dynamics?.contextCache)
        let smallCache = try #require(small.report.dynamics?.contextCache)
        #expect(smallCache.statistics.evictedBlocks > 0)
        #expect(smallCache.statistics.hitBlocks < roomyCache.statistics.hitBlocks)
        #expect(smallCache.capacityBlocks == Int(200e9 / (512 * 70_272)))
    }

    @Test func aHostTierKeepsEvictedPrefixesAndServesThemFromDRAM() throws {
        var scenario = try shippedScenario("default.yaml")
        scenario.contextCache = nil
        let hbmOnly = try simulate(scenario)
        scenario.deployment[0].hostKVCache = ScenarioHostCache(capacity: .gigabytes(1000))
        let withHost = try simulate(scenario)
        expectConservation(withHost)
        let tiers = try #require(withHost.report.cacheHitRateByTier)
        #expect(tiers.host > 0)
        #expect(try #require(withHost.report.cacheHitRate) > (try #require(hbmOnly.report.cacheHitRate)))
    }
}

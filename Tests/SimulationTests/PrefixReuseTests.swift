import Deployment
import MoECore
import Reports
import Simulation
import Testing
import Workload

/// Prefix reuse through the simulator: Mooncake's hash ids decide cache hits.
@Suite struct PrefixReuseTests {
    /// The share of prompt tokens a cache that never evicts could serve: each request's leading 512-token
    /// blocks already seen, except the block holding its last prompt token, which must be computed.
    static func reuseBound(_ path: String, requests: Int) throws -> Double {
        var reader = try MooncakeTraceReader(path: path)
        var seen: Set<UInt64> = []
        var hits = 0
        var prompts = 0
        for _ in 0..<requests {
            guard let request = try reader.next() else { break }
            let leading = request.prefixBlockHashes.prefix { seen.contains($0) }.count
            hits += min(leading * MooncakeTraceReader.blockTokens, request.promptTokens - 1)
            prompts += request.promptTokens
            seen.formUnion(request.prefixBlockHashes)
        }
        return Double(hits) / Double(prompts)
    }

    @Test func oneInstanceWithRoomForEveryPrefixServesAllTheReuseTheTraceHolds() throws {
        var scenario = try shippedScenario("deepseek-v3-h800-ep144.yaml")
        scenario.workload.limit = 600
        let run = try simulate(scenario)
        expectConservation(run)
        let bound = try Self.reuseBound(SharedDataPaths.mooncakeSlice, requests: 600)
        let rate = try #require(run.report.cacheHitRate)
        #expect(bound > 0.1)
        // Hits are counted in 64-token blocks, so a few tokens per request fall short of the bound.
        #expect(rate <= bound && rate > bound * 0.97, "hit rate \(rate), bound \(bound)")
    }

    @Test func splittingConversationsOverTwoInstancesLosesReuse() throws {
        var scenario = try shippedScenario("default.yaml")
        scenario.workload.limit = 600
        scenario.contextCache = nil  // HBM caches only: what each instance keeps for itself
        let rate = try #require(try simulate(scenario).report.cacheHitRate)
        let bound = try Self.reuseBound(SharedDataPaths.mooncakeSlice, requests: 600)
        #expect(rate > 0 && rate < bound * 0.75, "hit rate \(rate), bound \(bound)")
    }
}

import Deployment
import Foundation
import MoECore
import Reports
import Simulation
import Testing

@Suite struct DeterminismTests {
    @Test func theSameScenarioAndSeedGiveByteIdenticalJSON() throws {
        let scenario = try shippedScenario("default.yaml")
        let first = try simulate(scenario).report.jsonData()
        let second = try simulate(scenario).report.jsonData()
        #expect(first == second)
        #expect(first.count > 2_000)
    }

    @Test func anotherSeedDrawsAnotherWorkload() throws {
        var scenario = try shippedScenario("qwen3-30b-a3b-h100-spot.yaml")
        scenario.workload.limit = 300
        let seeded = try simulate(scenario, seed: 1).report.jsonData()
        #expect(try simulate(scenario, seed: 1).report.jsonData() == seeded)
        #expect(try simulate(scenario, seed: 2).report.jsonData() != seeded)
    }
}

extension DeterminismTests {
    @Test func everyDynamicTogetherStillGivesByteIdenticalJSON() throws {
        var scenario = try disaggregatedDefault()
        scenario.workload.limit = 500
        scenario.contextCache = ScenarioContextCache(capacity: .gigabytes(5_000))
        scenario.faults.events = [.init(at: .seconds(60), target: .node(3), repair: .seconds(30))]
        scenario.faults.nodeMTBF = .seconds(3000)
        scenario.faults.restart = .seconds(10)
        scenario.deployment[0].autoscale = ScenarioAutoscaling(
            policy: .schedule([.init(offset: .zero, instances: 1)], period: .seconds(3600)), warmUp: .seconds(30))
        let first = try simulate(scenario)
        let second = try simulate(scenario)
        expectConservation(first)
        #expect(first.report.jsonData() == second.report.jsonData())
        #expect(first.records == second.records)
        let object = try #require(
            try JSONSerialization.jsonObject(with: first.report.jsonData()) as? [String: Any])
        for key in [
            "kv_transfers", "context_cache", "faults", "autoscaling", "nodes_over_time", "cache_hit_rate_by_tier",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        // Event skipping still carries the decode instance: most of its steps are taken in decode runs.
        let counters = first.report.counters
        #expect(counters["decode_runs", default: 0] > 0)
        #expect(counters["steps", default: 0] > 3 * counters["scheduled_steps", default: 0])
    }
}

import Deployment
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

import Deployment
import Engine
import MoECore
import Testing

@Suite struct EngineSmokeTests {
    @Test func aRequestStreamsItsTokensAndEnds() async throws {
        let scenario = try EngineFixtures.tinyScenario()
        let plan = try DeploymentPlan(scenario: scenario)
        print(
            plan.instances.map { ($0.name, $0.kvCacheConfiguration.totalBlocks, $0.schedulerConfiguration.maxNumSeqs) })
        let engine = try ServingEngine(scenario: scenario)
        let result = try await engine.submit(EngineFixtures.request(1, prompt: 100, output: 12)).collect()
        #expect(result.tokens.count == 12)
        #expect(result.completion.reason == .stop)
        print(await engine.metrics())
        print(await engine.deviceStatus())
        await engine.shutdown()
    }
}

import MoECore
import Simulation
import Testing

@Suite struct RouterTests {
    static let request = RequestSpec(id: RequestID(0), arrival: .zero, promptTokens: 10, outputTokens: 10)

    static func loads(_ outstanding: [Int]) -> [InstanceLoad] {
        outstanding.enumerated().map { index, tokens in
            var load = InstanceLoad(index: index, role: .colocated)
            load.outstandingTokens = tokens
            return load
        }
    }

    @Test func roundRobinTakesEachInstanceInTurn() {
        var router = RoundRobinRouter()
        let choices = (0..<7).map { _ in router.route(Self.request, among: Self.loads([9, 0, 5])) }
        #expect(choices == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test func leastOutstandingWorkPicksTheLightestInstanceAndTheFirstOnTies() {
        var router = LeastOutstandingWorkRouter()
        #expect(router.route(Self.request, among: Self.loads([900, 30, 500])) == 1)
        #expect(router.route(Self.request, among: Self.loads([30, 30, 500])) == 0)
    }

    @Test func theCallerCanOverrideTheScenariosRouter() throws {
        var scenario = try shippedScenario("default.yaml")
        scenario.workload.limit = 600
        #expect(scenario.router == .leastOutstandingWork)
        let turns = try simulate(scenario, router: .roundRobin).report
        #expect(turns.context.router == "round_robin")
        let completed = turns.instanceActivity.map { $0.completed }
        #expect(completed == [300, 300])  // every request completes, so each instance got every other one
    }
}

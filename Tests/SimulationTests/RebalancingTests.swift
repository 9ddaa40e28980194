import Deployment
import MoECore
import Reports
import TestSupport
import Testing

@testable import Simulation

/// Expert placement re-planned during a run from the loads each window observed.
@Suite struct RebalancingTests {
    /// The default scenario under SGLang's measured DeepSeek-V3 decode loads, served with the contiguous
    /// placement (no planning before the run).
    static func skewedDefault() throws -> Scenario {
        var scenario = try shippedScenario("default.yaml")
        scenario.workload.limit = 700  // four minutes of arrivals: one re-plan from scratch, one under the budget
        scenario.expertLoad = .file(path: SharedData.packageFile("Simulations/expert-loads/decode_in1000out1000.json"))
        return scenario
    }

    @Test func rebalancingEveryTwoMinutesEvensTheExpertLoadsAndShortensSteps() throws {
        let fixed = try simulate(try Self.skewedDefault())
        var scenario = try Self.skewedDefault()
        scenario.rebalancing = ScenarioRebalancing(interval: .seconds(120), maximumMoves: 64)
        let rebalanced = try simulate(scenario)
        expectConservation(fixed)
        expectConservation(rebalanced)
        let events = try #require(rebalanced.report.dynamics?.rebalances)
        print(
            "re-balances: "
                + events.map {
                    "t=\(Int($0.time.seconds)) s instance \($0.instance): \($0.expertsMoved) moved, "
                        + "\(Int($0.migrationTime.milliseconds)) ms, imbalance \($0.imbalanceBefore) -> \($0.imbalanceAfter)"
                }.joined(separator: "; "))
        // The first re-plan of each instance replaces the contiguous layout: the busiest rank's excess falls.
        let first = try #require(events.first)
        #expect(first.imbalanceAfter < first.imbalanceBefore - 0.2 && first.expertsMoved > 0)
        #expect(first.migrationTime > .zero && first.migrationBytes > 0)
        #expect(Set(events.map(\.instance)) == [0, 1])
        let before = try #require(fixed.report.metrics.tpot.median).seconds
        let after = try #require(rebalanced.report.metrics.tpot.median).seconds
        print("median TPOT contiguous \(before * 1e3) ms, re-balanced \(after * 1e3) ms")
        #expect(after < before)
    }

    @Test func theObservedLoadsOfAWindowFollowTheProfileWithSamplingNoise() throws {
        let plan = try DeploymentPlan(scenario: try Self.skewedDefault())
        let profile = try #require(plan.expertLoad)
        var generator = SeededGenerator(seed: 3)
        let observed = try ExpertRebalancer.observedLoads(
            profile: profile, layers: 58, experts: 256, copies: 1e6, generator: &generator)
        var again = SeededGenerator(seed: 3)
        #expect(
            try ExpertRebalancer.observedLoads(
                profile: profile, layers: 58, experts: 256, copies: 1e6, generator: &again) == observed)
        // Each layer's counts sum to about the window's copies and keep the profile's hottest expert hottest.
        for layer in [0, 30, 57] {
            let row = Array(observed.row(layer))
            #expect(abs(row.reduce(0, +) - 1e6) < 1e6 * 0.01)
            let hottest = Array(profile.row(layer)).enumerated().max { $0.element < $1.element }!.offset
            #expect(row[hottest] == row.max())
        }
        let other = try ExpertRebalancer.observedLoads(
            profile: profile, layers: 58, experts: 256, copies: 1e6, generator: &generator)
        #expect(other != observed)
    }
}

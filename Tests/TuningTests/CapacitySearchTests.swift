import MoECore
import Testing
import Tuning

/// Capacity planning: galloping then bisection over cluster sizes.
@Suite struct CapacitySearchTests {
    static func sizes(_ count: Int) -> [ClusterSize] {
        (1...count).map { ClusterSize(nodes: $0, overrides: [ScenarioOverride("cluster.nodes", "\($0)")]) }
    }

    @Test(arguments: [0, 1, 5, 17, 40, 63])
    func theSearchFindsTheThresholdOfAMonotoneObjectiveInLogarithmicProbes(threshold: Int) {
        for start in [0, 10, 63] {
            var search = CapacitySearch(sizes: Self.sizes(64), start: start)
            var probes = 0
            while let position = search.nextProbe() {
                probes += 1
                search.record(position, meets: position >= threshold)
            }
            #expect(search.answer?.nodes == threshold + 1, "start \(start)")
            #expect(probes <= 14, "start \(start): \(probes) probes")
        }
    }

    @Test func aSearchWhereNothingMeetsAnswersNil() {
        var search = CapacitySearch(sizes: Self.sizes(20))
        while let position = search.nextProbe() { search.record(position, meets: false) }
        #expect(search.isFinished)
        #expect(search.answer == nil)
    }

    @Test func theSmallestClusterMeetsTheTargetAndOneNodeLessDoesNot() throws {
        let configuration = [
            ScenarioOverride("scheduler.max_num_seqs", "16"),
            ScenarioOverride("scheduler.max_num_batched_tokens", "512"),
        ]
        let sizes = try ClusterSizing.instances.sizes(of: Example.template, overrides: configuration, maximumNodes: 8)
        #expect(sizes.map(\.nodes) == Array(1...8))
        let runner = Example.runner()
        let plan = try CapacityPlanner(objective: Example.objective).run(
            [configuration], sizes: [sizes], runner: runner)[0]
        let size = try #require(plan.size)
        let trial = try #require(plan.trial)
        #expect(Example.objective.meets(trial))
        #expect(trial.outcome.metrics?.nodes == size.nodes)
        #expect(size.nodes > 1)
        let smaller = try runner.run([configuration + sizes[size.nodes - 2].overrides])[0]
        #expect(!Example.objective.meets(smaller))
        #expect(plan.probes <= 5)
    }

    @Test func spanningSizesKeepOnlyLayoutsWhoseExpertsSplitEvenly() throws {
        let levers = try CostLevers.load(file: TestPaths.levers)
        let overrides = CostWaterfallSteps.overrides(upTo: "large-ep", in: levers)
        let sizes = try ClusterSizing.spanning.sizes(of: levers.template, overrides: overrides, maximumNodes: 40)
        // 256 routed + 32 redundant experts over 8 x nodes GPUs.
        #expect(sizes.map(\.nodes) == [1, 2, 3, 4, 6, 9, 12, 18, 36])
        #expect(sizes[3].overrides.map(\.text).contains("deployment.instances[0].ep=32"))
    }
}

import MoECore
import Testing
import Tuning

/// The searches over the worked example's 192 configurations (Docs/Tuning.md).
@Suite struct TuningSearchTests {
    @Test func theAdaptiveSearchFindsTheGridsBestWithinTwoPercentInAThirdOfTheRuns() throws {
        let best = try #require(ParetoFrontier.recommended(Example.grid, objective: Example.objective))
        let bestCost = try #require(best.outcome.metrics?.usdPerMillionOutputTokens)
        _ = Example.grid
        // The shared runner holds the grid, so nothing is simulated twice; the search's runs are the
        // distinct configurations it asked for, which a fresh runner would simulate.
        let trials = try SweepSearch.adaptive(seed: 0).run(
            Example.space, runner: Example.sharedRunner, objective: Example.objective)
        let found = try #require(ParetoFrontier.recommended(trials, objective: Example.objective))
        let foundCost = try #require(found.outcome.metrics?.usdPerMillionOutputTokens)
        #expect(Set(trials.map(\.overrides.identity)).count == trials.count)
        #expect(trials.count * 3 <= Example.space.count, "\(trials.count) runs")
        #expect(foundCost <= bestCost * 1.02, "adaptive \(foundCost), grid \(bestCost)")
        // Every trial it reports is the grid's own measurement of that configuration.
        let byIdentity = Dictionary(uniqueKeysWithValues: Example.grid.map { ($0.overrides.identity, $0) })
        for trial in trials { #expect(byIdentity[trial.overrides.identity] == trial) }
    }

    @Test func theGridVisitsEveryConfigurationInRowMajorOrder() {
        #expect(Example.grid.count == 192)
        #expect(
            Example.grid.map(\.overrides)
                == (0..<192).map { Example.space.overrides(Example.space.configuration(at: $0)) })
        for index in [0, 7, 100, 191] {
            #expect(Example.space.index(of: Example.space.configuration(at: index)) == index)
        }
    }

    @Test func aRandomSearchDrawsDistinctConfigurationsReproduciblyBySeed() throws {
        let first = try #require(SweepSearch.random(samples: 20, seed: 9).configurations(of: Example.space))
        let again = try #require(SweepSearch.random(samples: 20, seed: 9).configurations(of: Example.space))
        let other = try #require(SweepSearch.random(samples: 20, seed: 10).configurations(of: Example.space))
        #expect(first == again)
        #expect(first != other)
        #expect(Set(first.map(\.identity)).count == 20)
        #expect(SweepSearch.random(samples: 500, seed: 1).configurations(of: Example.space)?.count == 192)
    }

    @Test func theFrontierIsCheapestFirstAndNothingDominatesIt() throws {
        let frontier = ParetoFrontier.frontier(Example.grid)
        #expect(frontier.count >= 2)
        let points = frontier.compactMap { trial in
            trial.outcome.metrics.map { ($0.usdPerMillionOutputTokens!, $0.sloAttainment) }
        }
        for (a, b) in zip(points, points.dropFirst()) { #expect(a.0 <= b.0 && a.1 < b.1) }
        for trial in Example.grid {
            guard let m = trial.outcome.metrics, let cost = m.usdPerMillionOutputTokens else { continue }
            for point in points {
                #expect(
                    !(cost <= point.0 && m.sloAttainment >= point.1 && (cost < point.0 || m.sloAttainment > point.1)))
            }
        }
        let recommended = try #require(ParetoFrontier.recommended(Example.grid, objective: Example.objective))
        #expect(frontier.contains(recommended))
        #expect(Example.objective.meets(recommended))
    }

    @Test func resultsAreTheSameWhateverOrderTheyAreAskedIn() throws {
        let configurations = (0..<12).map { Example.space.overrides(Example.space.configuration(at: $0 * 16)) }
        let forward = try Example.runner().run(configurations)
        let backward = try Example.runner().run(configurations.reversed())
        #expect(forward == backward.reversed())
        #expect(forward == configurations.map { overrides in Example.grid.first { $0.overrides == overrides }! })
    }
}

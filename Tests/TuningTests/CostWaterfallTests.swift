import Foundation
import MoECore
import TestSupport
import Testing
import Tuning

/// The levers file and the waterfall built from it.
@Suite struct CostWaterfallTests {
    @Test func theShippedLeversDescribeBothPathsWithASourceForEveryLever() throws {
        let levers = try CostLevers.load(file: TestPaths.levers)
        #expect(levers.paths.map(\.name) == ["h800", "ascend"])
        #expect(levers.minimumAttainment == 0.85)
        for path in levers.paths {
            #expect(path.levers.count == 10)
            for lever in path.levers { #expect(lever.source.count > 40, "\(lever.key)") }
            let pending = path.levers.filter { $0.pending != nil }.map(\.key)
            #expect(pending == ["night-nodes"])
        }
        // Every step's scenario decodes: the levers name real keys with valid values.
        for path in levers.paths {
            var overrides: [ScenarioOverride] = []
            for lever in path.levers where lever.pending == nil {
                overrides = (overrides + lever.overrides).collapsed
                _ = try levers.template.scenario(overrides)
            }
        }
    }

    /// A two-lever waterfall on the worked example's scenario: the JSON has a step per lever, the pending one
    /// with its reason and null figures.
    @Test func theWaterfallJSONHasAStepPerLeverWithPendingOnesListed() throws {
        let directory = try TemporaryDirectory()
        let scenario = try String(contentsOfFile: SharedData.packageFile(TuningReport.exampleScenario), encoding: .utf8)
        let indented = scenario.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }.map { "    " + $0 }.joined(separator: "\n")
            .replacingOccurrences(of: "trace: traces/", with: "trace: \(SharedData.packageFile("Simulations/traces"))/")
        let file = try directory.write(
            "levers.yaml",
            """
            baseline:
              title: one batch of 4 per rank
              source: the worked example
              scenario:
            \(indented)
            levers:
              - {key: batches, lever: batches of 64, source: the example's best, set: {scheduler.max_num_seqs: 64}}
              - {key: later, lever: a later feature, source: nowhere yet, pending: not built}
            paths:
              - {name: small, title: the example, levers: [batches, later]}
            """)
        let levers = try CostLevers.load(file: file)
        let runner = TrialRunner(evaluator: TrialEvaluator(template: levers.template))
        let results = try CostWaterfall.run(
            levers, objective: SweepObjective(), maximumNodes: 6, runner: runner)
        let object = try #require(
            try JSONSerialization.jsonObject(
                with: CostWaterfall.jsonData(results, objective: SweepObjective(), slo: "ttft=2000ms,tpot=50ms"))
                as? [String: Any])
        let paths = try #require(object["paths"] as? [[String: Any]])
        let steps = try #require(paths.first?["steps"] as? [[String: Any]])
        #expect(
            steps.map { $0["lever"] as? String } == ["one batch of 4 per rank", "batches of 64", "a later feature"])
        for step in steps.prefix(2) {
            let cost = try #require(step["usd_per_million_output_tokens"] as? Double)
            #expect(cost > 0)
            #expect((step["usd_per_million_input_tokens"] as? Double ?? 0) > 0)
            #expect((step["nodes"] as? Int ?? 0) >= 1)
            #expect((step["slo_attainment"] as? Double ?? 0) >= 0.9)
        }
        #expect(steps[2]["pending"] as? String == "not built")
        #expect(steps[2]["usd_per_million_output_tokens"] is NSNull)
        // Larger batches need fewer nodes for this load, so they are cheaper.
        #expect((steps[1]["nodes"] as! Int) < (steps[0]["nodes"] as! Int))
        let text = CostWaterfall.text(results, objective: SweepObjective(), slo: "ttft=2000ms,tpot=50ms")
        #expect(text.contains("pending") && text.contains("not built"))
    }

    @Test func aLeversFileNamingAnUndefinedLeverIsRefusedWithItsKeyPath() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "levers.yaml",
            """
            baseline: {title: t, source: s, scenario: {name: x}}
            levers:
              - {key: a, lever: A, source: s, set: {scheduler.max_num_seqs: 8}}
            paths:
              - {name: p, title: P, levers: [a, b]}
            """)
        #expect { try CostLevers.load(file: file) } throws: { error in
            "\(error)".contains("paths[0].levers[1]: no lever 'b'")
        }
    }
}

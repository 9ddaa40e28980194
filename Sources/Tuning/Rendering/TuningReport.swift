import MoECore
import Reports

/// The generated parts of `Docs/Tuning.md` (`make tuning-report`): the worked sweep on the shipped Azure
/// slice, found by grid, random and adaptive search, and the cost waterfalls of the shipped levers file.
/// `TuningDocTests` regenerates them and requires the document to match.
public enum TuningReport {
    /// The worked example's scenario, relative to the package root.
    public static let exampleScenario = "Simulations/mixtral-8x7b-azure-sweep.yaml"
    /// The worked example's knobs, as `--vary` arguments.
    public static let exampleVary = [
        "deployment.instances[0].count/cluster.nodes=1/1,2/2,3/3,4/4", "scheduler.max_num_seqs=2,4,8,16,32,64",
        "scheduler.max_num_batched_tokens=256,512,1024,2048", "deployment.instances[0].micro_batches=1,2",
    ]
    /// The random search's sample count in the example: a third of the grid.
    public static let exampleRandomSamples = 64
    /// The shipped levers file, relative to the package root.
    public static let leversFile = "Simulations/tuning/cost-levers.yaml"
    /// Largest cluster a waterfall step may grow to.
    public static let waterfallMaximumNodes = 128

    /// The generated sections by name, each Markdown.
    ///
    /// - Parameter exampleRunner: the runner of the worked example (a fresh one when nil); its cache may
    ///   already hold trials. A search's "simulations" are the distinct configurations it asked for, what a
    ///   fresh run of it simulates, so the three searches share one runner.
    public static func sections(packageRoot: String, exampleRunner: TrialRunner? = nil) throws -> [(
        name: String, markdown: String
    )] {
        let objective = SweepObjective()
        let template = try ScenarioTemplate.load(file: "\(packageRoot)/\(exampleScenario)")
        let space = try SweepSpace(exampleVary.map(SweepDimension.parse))
        let exampleRunner = exampleRunner ?? TrialRunner(evaluator: TrialEvaluator(template: template))
        func search(_ strategy: SweepSearch) throws -> (trials: [Trial], runs: Int) {
            let trials = try strategy.run(space, runner: exampleRunner, objective: objective)
            return (trials, trials.count)
        }
        let grid = try search(.grid)
        let report = SweepReport(
            keyPaths: space.keyPaths, trials: grid.trials, objective: objective,
            slo: ServiceObjectives.text(try template.scenario([]).slo), search: "grid", spaceSize: space.count,
            simulated: grid.runs, resumed: 0)
        var searches = TextTable(
            ["search", "simulations", "best $/M output", "attainment", "of the grid's best"], numeric: [1, 2, 3, 4])
        let best = ParetoFrontier.recommended(grid.trials, objective: objective)?.outcome.metrics
        let strategies: [(String, SweepSearch)] = [
            ("random, \(exampleRandomSamples) samples", .random(samples: exampleRandomSamples, seed: 0)),
            ("adaptive", .adaptive(seed: 0)),
        ]
        var outcomes = [("grid", grid.trials, grid.runs)]
        for (name, strategy) in strategies {
            let (trials, runs) = try search(strategy)
            outcomes.append((name, trials, runs))
        }
        for (name, trials, runs) in outcomes {
            let found = ParetoFrontier.recommended(trials, objective: objective)?.outcome.metrics
            var ratio = "-"
            if let cost = found?.usdPerMillionOutputTokens, let reference = best?.usdPerMillionOutputTokens {
                ratio = Figures.fixed(cost / reference, 3) + "x"
            }
            searches.append([
                name, "\(runs)", TrialFigures.dollars(found?.usdPerMillionOutputTokens),
                TrialFigures.percent(found?.sloAttainment), ratio,
            ])
        }
        let sweep = [
            markdown(report.frontierTable()), "", report.recommendationLine(), "", markdown(searches),
        ].joined(separator: "\n")

        let levers = try CostLevers.load(file: "\(packageRoot)/\(leversFile)")
        let runner = TrialRunner(evaluator: TrialEvaluator(template: levers.template))
        let paths = try CostWaterfall.run(
            levers, objective: SweepObjective(minimumAttainment: levers.minimumAttainment),
            maximumNodes: waterfallMaximumNodes, runner: runner)
        return [("sweep", sweep)] + paths.map { ("waterfall-\($0.path.name)", markdown(CostWaterfall.table($0))) }
    }

    /// `document` with each section's text between its `<!-- BEGIN generated: NAME -->` and `<!-- END
    /// generated: NAME -->` markers replaced, or nil when a section's markers are missing.
    public static func updating(_ document: String, with sections: [(name: String, markdown: String)]) -> String? {
        var text = document
        for section in sections {
            let begin = "<!-- BEGIN generated: \(section.name) -->"
            let end = "<!-- END generated: \(section.name) -->"
            guard let start = text.range(of: begin),
                let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
            else { return nil }
            text.replaceSubrange(start.upperBound..<stop.lowerBound, with: "\n" + section.markdown + "\n")
        }
        return text
    }

    /// The text between `name`'s markers in `document`, trimmed of the surrounding line breaks.
    public static func section(_ name: String, in document: String) -> String? {
        guard let start = document.range(of: "<!-- BEGIN generated: \(name) -->"),
            let stop = document.range(
                of: "<!-- END generated: \(name) -->", range: start.upperBound..<document.endIndex)
        else { return nil }
        var body = document[start.upperBound..<stop.lowerBound]
        while body.first == "\n" { body.removeFirst() }
        while body.last == "\n" { body.removeLast() }
        return String(body)
    }

    /// `table` as a Markdown table, numeric columns right-aligned.
    static func markdown(_ table: TextTable) -> String {
        let escape = { (cell: String) in cell.replacingAll("|", with: "\\|") }
        var lines = ["| " + table.headers.map(escape).joined(separator: " | ") + " |"]
        lines.append("|" + table.headers.indices.map { table.numeric.contains($0) ? "---:|" : "---|" }.joined())
        for row in table.rows { lines.append("| " + row.map(escape).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}

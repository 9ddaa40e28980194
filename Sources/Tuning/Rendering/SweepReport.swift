import MoECore
import Reports

/// What a sweep found, ready to print (``text()``) or to open in a browser (``html()``): the Pareto frontier of
/// cost per million output tokens against SLO attainment, and the recommended configuration.
public struct SweepReport: Sendable {
    /// The knobs varied (the table's key columns).
    public var keyPaths: [String]
    /// Every trial the search asked for, in the order asked.
    public var trials: [Trial]
    /// The objective (attainment target).
    public var objective: SweepObjective
    /// The objectives, as `--slo` text.
    public var slo: String
    /// The search, as text ("grid", "random, 20 samples", "adaptive").
    public var search: String
    /// Configurations in the space.
    public var spaceSize: Int
    /// Simulations run by this process.
    public var simulated: Int
    /// Trials read back from the CSV.
    public var resumed: Int

    /// Creates a report.
    public init(
        keyPaths: [String], trials: [Trial], objective: SweepObjective, slo: String, search: String, spaceSize: Int,
        simulated: Int, resumed: Int
    ) {
        self.keyPaths = keyPaths
        self.trials = trials
        self.objective = objective
        self.slo = slo
        self.search = search
        self.spaceSize = spaceSize
        self.simulated = simulated
        self.resumed = resumed
    }

    /// The frontier, cheapest first.
    public var frontier: [Trial] { ParetoFrontier.frontier(trials) }
    /// The cheapest configuration meeting the target.
    public var recommended: Trial? { ParetoFrontier.recommended(trials, objective: objective) }

    /// The frontier as a table: cost, attainment, nodes, latencies, then the knobs.
    public func frontierTable() -> TextTable {
        var table = TextTable(
            ["$/M output", "$/M input", "attainment", "nodes", "median TTFT ms", "median TPOT ms"] + keyPaths,
            numeric: Set(0..<6))
        for trial in frontier {
            guard let m = trial.outcome.metrics else { continue }
            table.append(
                [
                    TrialFigures.dollars(m.usdPerMillionOutputTokens), TrialFigures.dollars(m.usdPerMillionInputTokens),
                    TrialFigures.percent(m.sloAttainment), "\(m.nodes)",
                    TrialFigures.milliseconds(m.medianTTFTMilliseconds),
                    TrialFigures.milliseconds(m.medianTPOTMilliseconds),
                ] + keyPaths.map { trial.value(of: $0) ?? "-" })
        }
        return table
    }

    /// The recommendation as one line.
    public func recommendationLine() -> String {
        let target = TrialFigures.percent(objective.minimumAttainment)
        guard let best = recommended, let m = best.outcome.metrics else {
            let highest = trials.compactMap(\.outcome.metrics?.sloAttainment).max()
            return
                "No configuration reaches \(target) SLO attainment (the highest is \(TrialFigures.percent(highest)))."
        }
        return "Recommended (cheapest at >= \(target) attainment): "
            + best.overrides.filter { keyPaths.contains($0.keyPath) }.map(\.text).joined(separator: " ")
            + " -> \(TrialFigures.dollars(m.usdPerMillionOutputTokens)) per million output tokens, "
            + "\(TrialFigures.percent(m.sloAttainment)) attainment, \(m.nodes) nodes"
    }

    /// The summary, the frontier and the recommendation, for the terminal.
    public func text() -> String {
        let infeasible = trials.filter { $0.outcome.metrics == nil }.count
        var lines = [
            "Sweep: \(search), \(trials.count) of \(spaceSize) configurations (\(simulated) simulated, \(resumed) "
                + "from the CSV, \(infeasible) infeasible); SLO \(slo); target attainment "
                + TrialFigures.percent(objective.minimumAttainment),
            "",
            "Pareto frontier: cost per million output tokens against SLO attainment",
            frontierTable().render(),
            "",
            recommendationLine(),
        ]
        let reasons = Set(
            trials.compactMap { trial -> String? in
                if case .infeasible(let reason) = trial.outcome { return reason }
                return nil
            }
        ).sorted()
        if let reason = reasons.first {
            lines.append("Infeasible configurations, first reason: \(reason)")
        }
        return lines.joined(separator: "\n")
    }

    /// A self-contained page: the scatter of every measured configuration with the frontier, and the tables.
    public func html(title: String) -> String {
        let points = trials.compactMap { trial -> (x: Double, y: Double)? in
            guard let m = trial.outcome.metrics, let cost = m.usdPerMillionOutputTokens else { return nil }
            return (cost, m.sloAttainment * 100)
        }
        let frontierPoints = frontier.compactMap { trial -> (x: Double, y: Double)? in
            guard let m = trial.outcome.metrics, let cost = m.usdPerMillionOutputTokens else { return nil }
            return (cost, m.sloAttainment * 100)
        }
        let chart = SVGChart.scatterChart(
            [SVGChart.Series(name: "configurations", points: points)],
            highlight: SVGChart.Series(name: "Pareto frontier", points: frontierPoints),
            frame: SVGChart.Frame(
                xTitle: "$ per million output tokens (allocation basis)", yTitle: "SLO attainment, %", yFromZero: false)
        )
        let table = frontierTable()
        let page = HTMLPage(
            title: title,
            introduction: [
                "Sweep: \(search), \(trials.count) of \(spaceSize) configurations; SLO \(slo).", recommendationLine(),
            ],
            sections: [
                HTMLPage.Section(
                    title: "Cost against SLO attainment",
                    figures: [
                        ("Every measured configuration; the dashed line joins the Pareto frontier.", chart),
                        ("The frontier", HTMLPage.table(header: table.headers, rows: table.rows)),
                    ])
            ])
        return page.render()
    }
}

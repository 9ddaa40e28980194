import Foundation
import Reports

/// The waterfall as a terminal table, a JSON document and an HTML chart.
extension CostWaterfall {
    /// One table per path: each step's lever, nodes, attainment and prices, and the change in output price.
    public static func text(_ results: [PathResult], objective: SweepObjective, slo: String) -> String {
        var blocks = [
            "Cost waterfall: every step serves the same workload at SLO \(slo), sized to the fewest nodes with "
                + ">= \(TrialFigures.percent(objective.minimumAttainment)) attainment; prices on the allocation basis."
        ]
        for result in results {
            blocks.append("\n\(result.path.name): \(result.path.title)")
            blocks.append(table(result).render())
        }
        return blocks.joined(separator: "\n")
    }

    /// The table of one path.
    public static func table(_ result: PathResult) -> TextTable {
        var table = TextTable(
            ["step", "lever", "nodes", "attainment", "$/M output", "$/M input", "change"], numeric: [0, 2, 3, 4, 5, 6])
        var previous: Double?
        for (index, step) in result.steps.enumerated() {
            if let pending = step.pending {
                table.append(["\(index)", step.lever, "-", "-", "pending", "pending", pending])
                continue
            }
            guard let m = step.metrics, let cost = m.usdPerMillionOutputTokens else {
                let largest = step.sized?.trial?.outcome.metrics
                table.append([
                    "\(index)", step.lever, "> \(largest?.nodes ?? 0)", TrialFigures.percent(largest?.sloAttainment),
                    "unmet", "unmet", "no size meets the SLO",
                ])
                continue
            }
            let change = previous.map { Figures.fixed(($0 > 0 ? cost / $0 - 1 : 0) * 100, 1) + "%" } ?? ""
            table.append([
                "\(index)", step.lever, "\(m.nodes)", TrialFigures.percent(m.sloAttainment),
                TrialFigures.dollars(cost), TrialFigures.dollars(m.usdPerMillionInputTokens), change,
            ])
            previous = cost
        }
        return table
    }

    /// `{"paths": [{"path", "title", "steps": [{lever, usd_per_million_output_tokens,
    /// usd_per_million_input_tokens, nodes, slo_attainment, key, source, pending, overrides}]}], "slo",
    /// "min_attainment"}`, keys sorted; figures are null for a pending step or one no size met.
    public static func jsonData(_ results: [PathResult], objective: SweepObjective, slo: String) -> Data {
        func json(_ value: Double?) -> Any { value.map { $0 as Any } ?? NSNull() }
        let paths = results.map { result -> [String: Any] in
            let steps = result.steps.map { step -> [String: Any] in
                let metrics = step.metrics
                return [
                    "lever": step.lever, "key": step.key, "source": step.source,
                    "pending": step.pending.map { $0 as Any } ?? NSNull(),
                    "usd_per_million_output_tokens": json(metrics?.usdPerMillionOutputTokens),
                    "usd_per_million_input_tokens": json(metrics?.usdPerMillionInputTokens),
                    "nodes": metrics.map { $0.nodes as Any } ?? NSNull(),
                    "slo_attainment": json(metrics?.sloAttainment),
                    "overrides": (step.overrides + (step.sized?.size?.overrides ?? [])).map(\.text),
                ]
            }
            return ["path": result.path.name, "title": result.path.title, "steps": steps]
        }
        let object: [String: Any] = ["paths": paths, "slo": slo, "min_attainment": objective.minimumAttainment]
        var data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// A page with one waterfall chart and table per path.
    public static func html(_ results: [PathResult], objective: SweepObjective, slo: String) -> String {
        let sections = results.map { result -> HTMLPage.Section in
            var bars: [SVGChart.Bar] = []
            var previous: Double?
            for (index, step) in result.steps.enumerated() {
                let category = "\(index)"
                guard step.pending == nil, let cost = step.metrics?.usdPerMillionOutputTokens else {
                    let level = previous ?? 0
                    bars.append(
                        SVGChart.Bar(
                            category: category, low: level, high: level,
                            label: step.pending == nil ? "unmet" : "pending", colorIndex: 5))
                    continue
                }
                let bar =
                    previous.map {
                        SVGChart.Bar(
                            category: category, low: $0, high: cost, label: TrialFigures.dollars(cost),
                            colorIndex: cost <= $0 ? 2 : 1)
                    } ?? SVGChart.Bar(category: category, high: cost, label: TrialFigures.dollars(cost), colorIndex: 0)
                bars.append(bar)
                previous = cost
            }
            let table = table(result)
            return HTMLPage.Section(
                title: "\(result.path.name): \(result.path.title)",
                paragraphs: result.steps.enumerated().map { "\($0): \($1.lever) (\($1.source))" },
                figures: [
                    (
                        "$ per million output tokens after each lever (green: cheaper, red: dearer, grey: pending)",
                        SVGChart.barChart(
                            bars, frame: SVGChart.Frame(xTitle: "step", yTitle: "$ per million output tokens"))
                    ),
                    ("Steps", HTMLPage.table(header: table.headers, rows: table.rows)),
                ])
        }
        return HTMLPage(
            title: "Where the cost per token comes from",
            introduction: [
                "Every step serves the same workload at SLO \(slo), sized to the fewest nodes with at least "
                    + "\(TrialFigures.percent(objective.minimumAttainment)) attainment (allocation-basis prices)."
            ], sections: sections
        ).render()
    }
}

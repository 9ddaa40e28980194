import Reports

extension SizedTrial {
    /// Capacity plans as a table: each configuration's smallest cluster meeting the target and its figures.
    public static func table(_ sized: [SizedTrial], keyPaths: [String]) -> TextTable {
        var table = TextTable(
            keyPaths + ["nodes", "attainment", "$/M output", "$/M input", "simulations"],
            numeric: Set(keyPaths.count..<(keyPaths.count + 5)))
        for plan in sized {
            let keys = keyPaths.map { key in plan.configuration.last { $0.keyPath == key }?.value ?? "-" }
            let metrics = plan.trial?.outcome.metrics
            guard let size = plan.size else {
                table.append(
                    keys + [
                        "> \(metrics?.nodes ?? 0)", TrialFigures.percent(metrics?.sloAttainment), "unmet", "unmet",
                        "\(plan.probes)",
                    ])
                continue
            }
            table.append(
                keys + [
                    "\(size.nodes)", TrialFigures.percent(metrics?.sloAttainment),
                    TrialFigures.dollars(metrics?.usdPerMillionOutputTokens),
                    TrialFigures.dollars(metrics?.usdPerMillionInputTokens), "\(plan.probes)",
                ])
        }
        return table
    }
}

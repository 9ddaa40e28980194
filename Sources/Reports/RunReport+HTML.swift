import MoECore

/// The report as one self-contained web page (`moeserve simulate --html`): inline SVG charts built with
/// ``SVGChart`` in an ``HTMLPage``, no scripts or external assets.
extension RunReport {
    /// The page: headline figures, latency distributions, utilization and provisioned nodes over time, cost by
    /// phase, expert balance, and the cluster's dynamics.
    public func htmlPage() -> HTMLPage {
        let m = metrics
        var sections = [summarySection(), latencySection()]
        if let utilization { sections.append(utilizationSection(utilization)) }
        if let nodes = nodesOverTime { sections.append(nodesSection(nodes)) }
        if let costSection = costSection() { sections.append(costSection) }
        if let balance = expertBalanceSection() { sections.append(balance) }
        if let dynamics { sections.append(dynamicsSection(dynamics)) }
        return HTMLPage(
            title: "\(context.scenario): \(context.model) on \(context.deployedNodes) \(context.device) nodes",
            introduction: [
                "Seed \(context.seed), \(context.instances) instances routed by \(context.router); \(m.arrived) "
                    + "requests arrived, \(m.completed) completed, \(m.rejected) rejected, \(m.failed) failed, over "
                    + "\(Figures.fixed(m.duration.seconds, 1)) s of simulated time."
            ], sections: sections)
    }

    private func summarySection() -> HTMLPage.Section {
        let m = metrics
        let seconds = m.duration.seconds
        func milliseconds(_ distribution: LatencyDistribution, _ percent: Double) -> String {
            distribution.percentile(percent).map { Figures.fixed($0.milliseconds, 1) } ?? "-"
        }
        var rows: [[String]] = [
            ["requests completed / arrived", "\(m.completed) / \(m.arrived)"],
            ["output tokens per second", seconds > 0 ? Figures.fixed(Double(m.outputTokens) / seconds, 0) : "-"],
            ["median / p99 TTFT (ms)", "\(milliseconds(m.ttft, 50)) / \(milliseconds(m.ttft, 99))"],
            ["median / p99 TPOT (ms)", "\(milliseconds(m.tpot, 50)) / \(milliseconds(m.tpot, 99))"],
        ]
        if m.hasObjectives, seconds > 0 {
            rows.append(["goodput (requests per second)", Figures.fixed(Double(m.good) / seconds, 2)])
        }
        if let tiers = cacheHitRateByTier {
            rows.append([
                "prefix-cache hits: HBM / host / disk",
                "\(Self.percent(tiers.hbm)) / \(Self.percent(tiers.host)) / \(Self.percent(tiers.disk))",
            ])
        }
        if let cost = costSummary(.allocation) {
            func price(_ value: Double?) -> String { value.map { "$" + Figures.fixed($0, 3) } ?? "-" }
            rows.append([
                "$ per M input tokens (miss / hit)",
                "\(price(cost.perMillionInputTokens)) / \(price(cost.perMillionCachedInputTokens))",
            ])
            rows.append(["$ per M output tokens", price(cost.perMillionOutputTokens)])
        }
        return HTMLPage.Section(
            title: "Summary", figures: [("Headline figures", HTMLPage.table(header: ["figure", "value"], rows: rows))])
    }

    /// The percents a cumulative distribution is drawn at.
    static let cdfPercents: [Double] = Array(stride(from: 0.0, through: 100, by: 1)) + [99.5, 99.9]

    /// `distribution` as cumulative-distribution points (milliseconds, fraction), sorted by latency.
    static func cdf(_ distribution: LatencyDistribution) -> [(x: Double, y: Double)] {
        let percents = cdfPercents.sorted()
        return zip(percents, distribution.percentiles(percents)).compactMap { percent, value in
            value.map { ($0.milliseconds, percent / 100) }
        }
    }

    private func latencySection() -> HTMLPage.Section {
        let m = metrics
        func chart(_ series: [(String, LatencyDistribution)], title: String) -> String {
            SVGChart.lineChart(
                series.map { SVGChart.Series(name: $0.0, points: Self.cdf($0.1)) },
                frame: .init(xTitle: title, yTitle: "fraction of requests", xLogarithmic: true))
        }
        return HTMLPage.Section(
            title: "Latency distributions",
            paragraphs: [
                "Cumulative distributions over completed requests (ITL over every gap between tokens), on a "
                    + "logarithmic time axis so that tails show."
            ],
            figures: [
                (
                    "Time to first token and queueing delay",
                    chart([("TTFT", m.ttft), ("queue", m.queueTime)], title: "ms (log scale)")
                ),
                (
                    "Time per output token and inter-token latency",
                    chart([("TPOT", m.tpot), ("ITL", m.itl)], title: "ms (log scale)")
                ),
                ("End-to-end latency", chart([("E2EL", m.e2el)], title: "ms (log scale)")),
            ])
    }

    private func utilizationSection(_ series: UtilizationSeries) -> HTMLPage.Section {
        let width = series.bucketWidth.seconds
        // One line per instance when there are few, else one per role (the mean of its instances).
        var groups: [(name: String, members: [Int])] = []
        if series.instances.count <= 6 {
            groups = series.instances.indices.map { (series.instances[$0].name, [$0]) }
        } else {
            for role in InstanceRole.allCases {
                let members = series.instances.indices.filter { series.instances[$0].role == role }
                if !members.isEmpty { groups.append((role.rawValue, members)) }
            }
        }
        let buckets = series.buckets.map(\.count).max() ?? 0
        func lines(_ value: (UtilizationIntegrals) -> Double) -> [SVGChart.Series] {
            groups.map { group in
                SVGChart.Series(
                    name: group.name,
                    points: (0..<buckets).map { bucket in
                        let total = group.members.reduce(0.0) { sum, member in
                            let integrals = series.buckets[member]
                            return sum + (bucket < integrals.count ? value(integrals[bucket]) : 0)
                        }
                        return (Double(bucket) * width, total / width / Double(group.members.count))
                    })
            }
        }
        func chart(_ value: @escaping (UtilizationIntegrals) -> Double, _ title: String) -> String {
            SVGChart.lineChart(lines(value), frame: .init(xTitle: "time (s)", yTitle: title))
        }
        return HTMLPage.Section(
            title: "Utilization over time",
            paragraphs: ["Means over buckets of \(Figures.fixed(width, 0)) s; idle time counts 0."],
            figures: [
                ("Busy fraction", chart({ $0.busySeconds }, "busy fraction")),
                ("Model FLOPs utilization", chart({ $0.mfuSeconds }, "MFU")),
                ("KV-cache usage", chart({ $0.kvUsageSeconds }, "KV usage")),
                ("Output tokens per second", chart({ $0.outputTokens }, "tokens/s")),
            ])
    }

    private func nodesSection(_ nodes: [(time: SimTime, nodes: Double)]) -> HTMLPage.Section {
        var points = nodes.map { ($0.time.seconds, $0.nodes) }
        if let last = points.last, metrics.duration.seconds > last.0 {
            points.append((metrics.duration.seconds, last.1))
        }
        return HTMLPage.Section(
            title: "Nodes provisioned",
            paragraphs: [
                "Nodes the allocation-based cost pays for: every cluster node but those whose instances an autoscaler "
                    + "released."
            ],
            figures: [
                (
                    "Nodes over time",
                    SVGChart.lineChart(
                        [SVGChart.Series(name: "nodes", points: points)],
                        frame: .init(xTitle: "time (s)", yTitle: "nodes"),
                        step: true)
                )
            ])
    }

    private func costSection() -> HTMLPage.Section? {
        guard let usage = costSummary(.usage), let allocation = costSummary(.allocation) else { return nil }
        let idle = max(0, allocation.total.amount - usage.total.amount)
        let parts: [(String, Double)] = [
            ("prefill", usage.phases.prefill), ("decode", usage.phases.decode),
            ("prefix load", usage.phases.prefixLoad), ("idle", idle),
        ]
        let bars = parts.enumerated().map { index, part in
            SVGChart.Bar(category: part.0, high: part.1, label: "$" + Figures.fixed(part.1, 2), colorIndex: index)
        }
        return HTMLPage.Section(
            title: "Cost by phase",
            paragraphs: [
                "Busy device time by phase at each pool's hourly price (usage basis), and the idle rest of the "
                    + "provisioned hours; the allocation basis spreads the idle share over the phases."
            ],
            figures: [("Dollars by phase", SVGChart.barChart(bars, frame: .init(xTitle: "phase", yTitle: "USD")))])
    }

    private func expertBalanceSection() -> HTMLPage.Section? {
        guard let utilization else { return nil }
        let moe = utilization.instances.indices.filter { !utilization.instances[$0].expertLoadShares.isEmpty }
        guard !moe.isEmpty else { return nil }
        let rebalances = dynamics?.rebalances ?? []
        let even = moe.allSatisfy { index in
            utilization.instances[index].expertLoadShares.allSatisfy { abs($0 - 1) < 1e-9 }
        }
        if even && rebalances.isEmpty {
            return HTMLPage.Section(
                title: "Expert balance",
                paragraphs: [
                    "The scenario's expert-load profile is balanced: every expert-parallel rank receives an even "
                        + "share of the routed tokens."
                ])
        }
        var figures: [(caption: String, markup: String)] = []
        let last = Dictionary(rebalances.map { ($0.instance, $0.loadShares) }, uniquingKeysWith: { $1 })
        // One heat map per expert-parallel size: a row per instance, a column per rank.
        for ranks in Set(moe.map { utilization.instances[$0].expertLoadShares.count }).sorted() {
            let members = moe.filter { utilization.instances[$0].expertLoadShares.count == ranks }
            let names = members.map { utilization.instances[$0].name }.joined(separator: ", ")
            figures.append(
                (
                    "\(names) at the start: each rank's routed-token share over an even split (rows in that order)",
                    SVGChart.heatMap(
                        members.map { utilization.instances[$0].expertLoadShares }, reference: 1, rowLabel: "inst ",
                        columnLabel: "rank", cellHeight: 16)
                ))
            let rebalanced = members.filter { last[$0] != nil }
            if !rebalanced.isEmpty {
                figures.append(
                    (
                        "\(rebalanced.map { utilization.instances[$0].name }.joined(separator: ", ")) after its last "
                            + "re-balance",
                        SVGChart.heatMap(
                            rebalanced.map { last[$0]! }, reference: 1, rowLabel: "inst ", columnLabel: "rank",
                            cellHeight: 16)
                    ))
            }
        }
        figures.append(("Scale", SVGChart.heatLegend()))
        if !rebalances.isEmpty {
            let end = metrics.duration.seconds
            let series = moe.compactMap { index -> SVGChart.Series? in
                let events = rebalances.filter { $0.instance == index }
                guard !events.isEmpty else { return nil }
                var points = [(0.0, utilization.instances[index].expertImbalance)]
                points += events.map { ($0.time.seconds, $0.imbalanceAfter) }
                points.append((max(end, points.last!.0), points.last!.1))
                return SVGChart.Series(name: utilization.instances[index].name, points: points)
            }
            figures.append(
                (
                    "Busiest rank's share over an even split, re-balanced over time",
                    SVGChart.lineChart(
                        series, frame: .init(xTitle: "time (s)", yTitle: "imbalance", yFromZero: false), step: true)
                ))
        }
        return HTMLPage.Section(
            title: "Expert balance",
            paragraphs: ["From the scenario's expert-load profile and each instance's placement (1 is an even split)."],
            figures: figures)
    }

    private func dynamicsSection(_ dynamics: ClusterDynamics) -> HTMLPage.Section {
        let transfers = dynamics.transfers
        var rows: [[String]] = [
            ["KV transfers", String(transfers.count)],
            ["KV bytes moved (GB)", Figures.fixed(Double(transfers.bytes) / 1e9, 2)],
            [
                "mean / longest transfer (ms)",
                transfers.count > 0
                    ? "\(Figures.fixed(transfers.totalSeconds / Double(transfers.count) * 1e3, 2)) / "
                        + Figures.fixed(transfers.longestSeconds * 1e3, 2) : "-",
            ],
            ["scale-outs / scale-ins", "\(dynamics.scaling.scaleOuts) / \(dynamics.scaling.scaleIns)"],
            ["faults / repairs", "\(dynamics.faults.failures) / \(dynamics.faults.repairs)"],
            [
                "instances stopped / shrunk / restarted",
                "\(dynamics.faults.instancesStopped) / \(dynamics.faults.instancesShrunk) / "
                    + "\(dynamics.faults.instancesRestarted)",
            ],
            [
                "requests requeued / prefilled again",
                "\(dynamics.faults.requestsRequeued) / \(dynamics.faults.requestsReprefilled)",
            ],
            ["expert re-balances", String(dynamics.rebalances.count)],
        ]
        if let cache = dynamics.contextCache?.statistics {
            let rate = cache.requestedBlocks > 0 ? Double(cache.hitBlocks) / Double(cache.requestedBlocks) : 0
            rows.append(["context cache: block hit rate", Self.percent(rate)])
            rows.append(["context cache: blocks stored / evicted", "\(cache.storedBlocks) / \(cache.evictedBlocks)"])
        }
        return HTMLPage.Section(
            title: "Cluster dynamics", figures: [("Counts", HTMLPage.table(header: ["what", "count"], rows: rows))])
    }
}

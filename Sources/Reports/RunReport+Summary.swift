import MoECore

/// The report as a terminal summary, laid out like `vllm bench serve`'s result block.
extension RunReport {
    /// The summary: requests and throughput, the latency sections, utilization, cost, and a table of the
    /// instances when known.
    public func summaryText() -> String {
        let m = metrics
        let seconds = m.duration.seconds
        var lines = [
            Self.rule("Serving Benchmark Result", fill: "="),
            Self.row("Scenario:", "\(context.scenario) (seed \(context.seed))"),
            Self.row(
                "Cluster:",
                "\(context.model) on \(context.deployedNodes) of \(context.clusterNodes) \(context.device) nodes, "
                    + "\(context.instances) instances, \(context.router)"),
            Self.row("Requests arrived:", String(m.arrived)),
            Self.row("Successful requests:", String(m.completed)),
            Self.row("Rejected / failed requests:", "\(m.rejected) / \(m.failed)"),
            Self.row("Benchmark duration (s):", Figures.fixed(seconds, 2)),
            Self.row("Total input tokens:", String(m.inputTokens)),
            Self.row("Total generated tokens:", String(m.outputTokens)),
        ]
        if seconds > 0 {
            lines.append(Self.row("Request throughput (req/s):", Figures.fixed(Double(m.completed) / seconds, 2)))
            if m.hasObjectives {
                lines.append(Self.row("Request goodput (req/s):", Figures.fixed(Double(m.good) / seconds, 2)))
            }
            lines += [
                Self.row("Output token throughput (tok/s):", Figures.fixed(Double(m.outputTokens) / seconds, 2)),
                Self.row(
                    "Total Token throughput (tok/s):",
                    Figures.fixed(Double(m.inputTokens + m.outputTokens) / seconds, 2)),
            ]
        }
        if let rate = cacheHitRate { lines.append(Self.row("Prefix cache hit rate:", Self.percent(rate))) }
        if let tiers = cacheHitRateByTier, tiers.host + tiers.disk > 0 {
            lines.append(
                Self.row(
                    "  from HBM / host / disk:",
                    "\(Self.percent(tiers.hbm)) / \(Self.percent(tiers.host)) / \(Self.percent(tiers.disk))"))
        }
        for (reason, count) in rejectionsByReason.sorted(by: { $0.key < $1.key }) {
            lines.append(Self.row("  rejected, \(reason):", String(count)))
        }
        lines += latencySection("Time to First Token", "TTFT", m.ttft)
        lines += latencySection("Time per Output Token (excl. 1st token)", "TPOT", m.tpot)
        lines += latencySection("Inter-token Latency", "ITL", m.itl)
        lines += latencySection("End-to-end Latency", "E2EL", m.e2el)
        lines += latencySection("Queueing Delay", "queue", m.queueTime)
        lines += utilizationSection()
        lines += costSection()
        lines += dynamicsSection()
        lines.append(String(repeating: "=", count: 50))
        if let table = instanceTable() { lines += ["", table.render()] }
        return lines.joined(separator: "\n")
    }

    private func latencySection(_ title: String, _ name: String, _ distribution: LatencyDistribution) -> [String] {
        let percentiles = distribution.percentiles([50, 99])
        guard let mean = distribution.mean, let median = percentiles[0], let p99 = percentiles[1] else { return [] }
        return [
            Self.rule(title, fill: "-"),
            Self.row("Mean \(name) (ms):", Figures.fixed(mean.milliseconds, 2)),
            Self.row("Median \(name) (ms):", Figures.fixed(median.milliseconds, 2)),
            Self.row("P99 \(name) (ms):", Figures.fixed(p99.milliseconds, 2)),
        ]
    }

    private func utilizationSection() -> [String] {
        guard let means = utilizationMeans else { return [] }
        var lines = [
            Self.rule("Utilization (time-weighted)", fill: "-"),
            Self.row("Busy time:", Self.percent(means.busy)),
            Self.row("Mean MFU:", Self.percent(means.mfu)),
            Self.row("Mean HBM bandwidth utilization:", Self.percent(means.hbmBandwidth)),
            Self.row("Mean KV-cache usage:", Self.percent(means.kvUsage)),
        ]
        if let throughput = throughputPerNode {
            lines += [
                Self.row("Input tokens/s per node:", Figures.fixed(throughput.prefillInput, 0)),
                Self.row("Output tokens/s per node:", Figures.fixed(throughput.decodeOutput, 0)),
            ]
        }
        return lines
    }

    private func costSection() -> [String] {
        guard let allocation = costSummary(.allocation), let usage = costSummary(.usage) else { return [] }
        func dollars(_ value: Double?) -> String { value.map { "$" + Figures.fixed($0, 4) } ?? "n/a" }
        var lines = [Self.rule("Cost (allocation / usage basis)", fill: "-")]
        lines += [
            Self.row("Total:", "\(dollars(allocation.total.amount)) / \(dollars(usage.total.amount))"),
            Self.row(
                "Per M input tokens (miss):",
                "\(dollars(allocation.perMillionInputTokens)) / \(dollars(usage.perMillionInputTokens))"),
            Self.row(
                "Per M input tokens (cache hit):",
                "\(dollars(allocation.perMillionCachedInputTokens)) / \(dollars(usage.perMillionCachedInputTokens))"),
            Self.row(
                "Per M output tokens:",
                "\(dollars(allocation.perMillionOutputTokens)) / \(dollars(usage.perMillionOutputTokens))"),
            Self.row(
                "Energy (kWh, busy / provisioned):",
                "\(Figures.fixed(allocation.busyEnergyKWh, 2)) / \(Figures.fixed(allocation.provisionedEnergyKWh, 2))"),
        ]
        let tokens = TokenCounts(metrics)
        for quote in context.priceQuotes {
            let (revenue, margin) = allocation.margin(selling: tokens, at: quote)
            lines.append(
                Self.row(
                    "Margin vs \(quote.name):",
                    "\(margin.map(Self.percent) ?? "n/a") (revenue \(dollars(revenue.amount)))"))
        }
        return lines
    }

    /// KV transfers, nodes over time, scaling, faults and re-balances, when any happened.
    private func dynamicsSection() -> [String] {
        guard let dynamics else { return [] }
        var lines: [String] = []
        let transfers = dynamics.transfers
        if transfers.count > 0 {
            lines.append(
                Self.row(
                    "KV transfers (mean / max ms):",
                    "\(transfers.count) (\(Figures.fixed(transfers.totalSeconds / Double(transfers.count) * 1e3, 2)) / "
                        + "\(Figures.fixed(transfers.longestSeconds * 1e3, 2)))"))
        }
        if let capacity = cost?.capacity, capacity.changes.count > 1 {
            lines.append(
                Self.row(
                    "Nodes provisioned (mean):", Figures.fixed(capacity.meanNodes(until: .zero + metrics.duration), 2)))
        }
        let scaling = dynamics.scaling
        if scaling.scaleOuts + scaling.scaleIns > 0 {
            lines.append(Self.row("Scale-outs / scale-ins:", "\(scaling.scaleOuts) / \(scaling.scaleIns)"))
        }
        let faults = dynamics.faults
        if faults.failures > 0 {
            lines += [
                Self.row("Faults / repairs:", "\(faults.failures) / \(faults.repairs)"),
                Self.row(
                    "Instances stopped / shrunk:", "\(faults.instancesStopped) / \(faults.instancesShrunk)"),
                Self.row(
                    "Requests requeued / re-prefilled:", "\(faults.requestsRequeued) / \(faults.requestsReprefilled)"),
            ]
        }
        if !dynamics.rebalances.isEmpty {
            let moved = dynamics.rebalances.reduce(0) { $0 + $1.expertsMoved }
            lines.append(Self.row("Expert re-balances (copies moved):", "\(dynamics.rebalances.count) (\(moved))"))
        }
        return lines.isEmpty ? [] : [Self.rule("Cluster dynamics", fill: "-")] + lines
    }

    private func instanceTable() -> TextTable? {
        guard let utilization, instanceActivity.count == utilization.instances.count, metrics.duration > .zero
        else { return nil }
        let seconds = metrics.duration.seconds
        var table = TextTable(
            ["instance", "devices", "completed", "steps", "preemptions", "busy", "MFU", "KV usage", "mean batch"],
            numeric: Set(1...8))
        for (index, instance) in utilization.instances.enumerated() {
            let total = utilization.totals[index]
            let activity = instanceActivity[index]
            table.append([
                instance.name, String(instance.devices), String(activity.completed), String(activity.steps),
                String(activity.preemptions), Self.percent(total.busySeconds / seconds),
                Self.percent(total.mfuSeconds / seconds), Self.percent(total.kvUsageSeconds / seconds),
                Figures.fixed(total.sequenceSeconds / seconds, 1),
            ])
        }
        return table
    }

    /// `fraction` as a percentage with one decimal.
    static func percent(_ fraction: Double) -> String { Figures.fixed(fraction * 100, 1) + "%" }

    /// A label padded to vLLM's 40 columns, then the value.
    static func row(_ label: String, _ value: String) -> String {
        label.count >= 40 ? label + " " + value : label + String(repeating: " ", count: 40 - label.count) + value
    }

    /// A 50-column heading rule with `title` centred, as vLLM prints its sections.
    static func rule(_ title: String, fill: Character) -> String {
        let padded = " \(title) "
        let left = max(0, (50 - padded.count) / 2)
        let right = max(0, 50 - padded.count - left)
        return String(repeating: fill, count: left) + padded + String(repeating: fill, count: right)
    }
}

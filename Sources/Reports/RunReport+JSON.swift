import Foundation
import MoECore

/// The report as the JSON document `vllm bench serve --save-result` writes, plus what a cluster run adds.
extension RunReport {
    /// The percentiles written for every latency, as `p<N>_<metric>_ms` (vLLM writes p99 by default).
    public static let reportedPercentiles: [Double] = [90, 95, 99]

    /// The document: vLLM's key names (`duration` in seconds, latencies in milliseconds, throughputs per
    /// second) and `rejected`, `utilization`, `throughput_per_node`, `cost`, `cache_hit_rate`, with keys
    /// sorted and no wall-clock figure, so the same run always gives the same bytes. Values that do not
    /// exist (a percentile of nothing, goodput without objectives) are `null`.
    public func jsonObject() -> [String: Any] {
        let m = metrics
        let seconds = m.duration.seconds
        func rate(_ value: Int) -> Any { seconds > 0 ? Double(value) / seconds : NSNull() }
        var object: [String: Any] = [
            "duration": seconds,
            "arrived": m.arrived,
            "completed": m.completed,
            "failed": m.failed,
            "rejected": m.rejected,
            "cancelled": m.cancelled,
            "total_input_tokens": m.inputTokens,
            "total_output_tokens": m.outputTokens,
            "request_throughput": rate(m.completed),
            "request_goodput": m.hasObjectives ? rate(m.good) : NSNull(),
            "output_throughput": rate(m.outputTokens),
            "total_token_throughput": rate(m.inputTokens + m.outputTokens),
            "cache_hit_rate": Self.json(cacheHitRate),
            "cache_hit_rate_by_tier": cacheHitRateByTier.map { ["hbm": $0.hbm, "host": $0.host, "disk": $0.disk] }
                ?? NSNull(),
            "rejected_by_reason": rejectionsByReason,
            "scenario": [
                "name": context.scenario, "seed": context.seed, "model": context.model, "device": context.device,
                "cluster_nodes": context.clusterNodes, "deployed_nodes": context.deployedNodes,
                "prefill_nodes": context.prefillNodes, "decode_nodes": context.decodeNodes,
                "instances": context.instances, "router": context.router,
            ] as [String: Any],
            "utilization": utilizationObject(),
            "throughput_per_node": throughputPerNodeObject(),
            "cost": costObject(),
        ]
        if !counters.isEmpty { object["simulator"] = counters }
        if let nodes = nodesOverTime, let capacity = cost?.capacity {
            object["nodes_over_time"] = nodes.map { [$0.time.seconds, $0.nodes] }
            object["mean_provisioned_nodes"] = capacity.meanNodes(until: .zero + m.duration)
        }
        if let dynamics { object.merge(Self.dynamicsObject(dynamics)) { $1 } }
        let latencies: [(String, LatencyDistribution)] = [
            ("ttft", m.ttft), ("tpot", m.tpot), ("itl", m.itl), ("e2el", m.e2el), ("queue", m.queueTime),
        ]
        for (name, distribution) in latencies {
            object["mean_\(name)_ms"] = Self.json(distribution.mean?.milliseconds)
            object["std_\(name)_ms"] = Self.json(distribution.standardDeviation?.milliseconds)
            let values = distribution.percentiles([50] + Self.reportedPercentiles)
            object["median_\(name)_ms"] = Self.json(values[0]?.milliseconds)
            for (percent, value) in zip(Self.reportedPercentiles, values.dropFirst()) {
                object["p\(Int(percent))_\(name)_ms"] = Self.json(value?.milliseconds)
            }
        }
        return object
    }

    /// ``jsonObject()`` serialized: pretty-printed, keys sorted, ending in a newline.
    public func jsonData() -> Data {
        // Every value above is a string, number, dictionary, array or NSNull, so this cannot fail.
        var data = try! JSONSerialization.data(withJSONObject: jsonObject(), options: [.prettyPrinted, .sortedKeys])
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private func utilizationObject() -> Any {
        guard let means = utilizationMeans else { return NSNull() }
        return [
            "mean_mfu": means.mfu, "mean_hbm_bandwidth_utilization": means.hbmBandwidth, "mean_kv_usage": means.kvUsage,
            "mean_link_utilization": means.link, "busy_fraction": means.busy,
        ]
    }

    private func throughputPerNodeObject() -> Any {
        guard let throughput = throughputPerNode else { return NSNull() }
        return [
            "prefill_input_tokens_per_s": throughput.prefillInput,
            "decode_output_tokens_per_s": throughput.decodeOutput, "nodes": context.deployedNodes,
            "prefill_nodes": context.prefillNodes, "decode_nodes": context.decodeNodes,
        ] as [String: Any]
    }

    private func costObject() -> Any {
        guard let allocation = costSummary(.allocation), let usage = costSummary(.usage) else { return NSNull() }
        var object = Self.costFields(allocation)
        object["usage_based"] = Self.costFields(usage)
        object["energy_kwh"] = ["busy": allocation.busyEnergyKWh, "provisioned": allocation.provisionedEnergyKWh]
        let tokens = TokenCounts(metrics)
        object["margin"] = context.priceQuotes.map { quote -> [String: Any] in
            let (revenue, margin) = allocation.margin(selling: tokens, at: quote)
            return ["name": quote.name, "revenue_usd": revenue.amount, "margin": Self.json(margin)]
        }
        return object
    }

    private static func costFields(_ summary: CostSummary) -> [String: Any] {
        [
            "basis": summary.basis.rawValue, "usd_total": summary.total.amount,
            "usd_per_million_input_tokens": json(summary.perMillionInputTokens),
            "usd_per_million_cached_input_tokens": json(summary.perMillionCachedInputTokens),
            "usd_per_million_output_tokens": json(summary.perMillionOutputTokens),
            "usd_by_phase": [
                "prefill": summary.phases.prefill, "decode": summary.phases.decode,
                "prefix_load": summary.phases.prefixLoad,
            ],
        ]
    }

    /// The dynamics' keys: `kv_transfers`, `context_cache`, `faults`, `autoscaling`, `expert_rebalances`.
    private static func dynamicsObject(_ dynamics: ClusterDynamics) -> [String: Any] {
        let transfers = dynamics.transfers
        var object: [String: Any] = [
            "kv_transfers": [
                "count": transfers.count, "bytes": transfers.bytes,
                "mean_ms": transfers.count > 0 ? transfers.totalSeconds / Double(transfers.count) * 1e3 : NSNull(),
                "max_ms": transfers.longestSeconds * 1e3,
            ] as [String: Any],
            "faults": [
                "failures": dynamics.faults.failures, "repairs": dynamics.faults.repairs,
                "instances_stopped": dynamics.faults.instancesStopped,
                "instances_shrunk": dynamics.faults.instancesShrunk,
                "instances_restarted": dynamics.faults.instancesRestarted,
                "requests_requeued": dynamics.faults.requestsRequeued,
                "requests_reprefilled": dynamics.faults.requestsReprefilled,
            ],
            "autoscaling": ["scale_outs": dynamics.scaling.scaleOuts, "scale_ins": dynamics.scaling.scaleIns],
            "expert_rebalances": dynamics.rebalances.map { rebalance -> [String: Any] in
                [
                    "time_s": rebalance.time.seconds, "instance": rebalance.instance,
                    "experts_moved": rebalance.expertsMoved, "migration_bytes": rebalance.migrationBytes,
                    "migration_ms": rebalance.migrationTime.milliseconds,
                    "imbalance_before": rebalance.imbalanceBefore, "imbalance_after": rebalance.imbalanceAfter,
                ]
            },
        ]
        if let cache = dynamics.contextCache {
            let statistics = cache.statistics
            object["context_cache"] =
                [
                    "capacity_blocks": cache.capacityBlocks, "block_tokens": cache.blockTokens,
                    "lookups": statistics.lookups, "requested_blocks": statistics.requestedBlocks,
                    "hit_blocks": statistics.hitBlocks, "stored_blocks": statistics.storedBlocks,
                    "evicted_blocks": statistics.evictedBlocks, "expired_blocks": statistics.expiredBlocks,
                    "block_hit_rate": statistics.requestedBlocks > 0
                        ? Double(statistics.hitBlocks) / Double(statistics.requestedBlocks) : NSNull(),
                ] as [String: Any]
        }
        return object
    }

    /// A finite number, or JSON null.
    static func json(_ value: Double?) -> Any {
        guard let value, value.isFinite else { return NSNull() }
        return value
    }
}

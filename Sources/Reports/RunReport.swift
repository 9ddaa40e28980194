import Deployment
import MoECore

/// Everything one run measured, ready to render as the `vllm bench serve` JSON document
/// (``jsonData()``), the terminal summary (``summaryText()``) or CSV time series (``TimeSeriesCSV``).
///
/// It holds accumulators, never per-request records, so its size does not grow with the run. A
/// simulation fills every part; a replay of measured records (`moeserve replay`) fills ``metrics`` and
/// leaves utilization and cost empty, and the same keys are written.
public struct RunReport: Sendable {
    /// What was run.
    public struct Context: Sendable, Hashable {
        /// The scenario's name.
        public var scenario: String
        /// The seed the run used.
        public var seed: UInt64
        /// Model catalog key.
        public var model: String
        /// Device catalog key.
        public var device: String
        /// Nodes in the cluster.
        public var clusterNodes: Int
        /// Nodes the deployment occupies (its devices over the devices per node, rounded up, pool by pool).
        public var deployedNodes: Int
        /// Nodes the prefill instances occupy (0 when colocated).
        public var prefillNodes: Int
        /// Nodes the decode instances occupy (0 when colocated).
        public var decodeNodes: Int
        /// Serving instances.
        public var instances: Int
        /// The router's name.
        public var router: String
        /// Price lists the cost is compared with.
        public var priceQuotes: [PriceQuote]

        /// The context of running `plan` with `seed`.
        public init(plan: DeploymentPlan, seed: UInt64) {
            let scenario = plan.scenario
            self.scenario = scenario.name
            self.seed = seed
            model = scenario.model.key
            device = scenario.pools.map(\.device.key).joined(separator: "+")
            clusterNodes = scenario.clusterNodes
            func nodes(_ role: InstanceRole?) -> Int {
                scenario.pools.indices.reduce(0) { total, pool in
                    let devices = plan.instances.filter { $0.pool == pool && (role == nil || $0.role == role) }
                        .reduce(0) { $0 + $1.devices }
                    let perNode = scenario.pools[pool].host.deviceCount
                    return total + (devices + perNode - 1) / perNode
                }
            }
            deployedNodes = nodes(nil)
            prefillNodes = nodes(.prefill)
            decodeNodes = nodes(.decode)
            instances = plan.instances.count
            router =
                scenario.isDisaggregated
                ? "\(scenario.router.rawValue)+\(scenario.decodeRouter.rawValue)" : scenario.router.rawValue
            priceQuotes = scenario.prices.compare
        }
    }

    /// One instance's activity over the run.
    public struct InstanceActivity: Sendable, Hashable {
        /// Requests it completed (a prefill instance: prefills it completed and handed on, counting any
        /// request prefilled again after a fault).
        public var completed: Int
        /// Preemptions its scheduler made.
        public var preemptions: Int
        /// Scheduler steps it ran (a decode run counts its steps).
        public var steps: Int

        /// Creates counts.
        public init(completed: Int, preemptions: Int, steps: Int) {
            self.completed = completed
            self.preemptions = preemptions
            self.steps = steps
        }
    }

    /// What was run.
    public var context: Context
    /// Request counts, tokens and latency distributions.
    public var metrics: ServingMetrics
    /// Utilization over time, when measured.
    public var utilization: UtilizationSeries?
    /// Device time by phase and prices, when known.
    public var cost: CostAccount?
    /// Per instance, in deployment order (empty when unknown).
    public var instanceActivity: [InstanceActivity]
    /// Rejections counted by the kind of reason.
    public var rejectionsByReason: [String: Int]
    /// The driver's own counters (events, steps, decode runs), deterministic for a seed.
    public var counters: [String: Int]
    /// KV transfers, the shared context cache, autoscaling, faults and re-balances, when simulated.
    public var dynamics: ClusterDynamics?

    /// Assembles a report.
    public init(
        context: Context, metrics: ServingMetrics, utilization: UtilizationSeries? = nil, cost: CostAccount? = nil,
        instanceActivity: [InstanceActivity] = [], rejectionsByReason: [String: Int] = [:],
        counters: [String: Int] = [:], dynamics: ClusterDynamics? = nil
    ) {
        self.context = context
        self.metrics = metrics
        self.utilization = utilization
        self.cost = cost
        self.instanceActivity = instanceActivity
        self.rejectionsByReason = rejectionsByReason
        self.counters = counters
        self.dynamics = dynamics
    }

    /// Time-weighted means over the run and the deployed devices (idle time counts 0).
    public struct UtilizationMeans: Sendable, Hashable {
        /// Model FLOPs utilization.
        public var mfu: Double
        /// HBM bandwidth utilization.
        public var hbmBandwidth: Double
        /// Expert-parallel link utilization.
        public var link: Double
        /// KV-cache usage.
        public var kvUsage: Double
        /// Fraction of the time the devices ran steps.
        public var busy: Double
    }

    /// The run's mean utilization, or nil without a series or a duration.
    public var utilizationMeans: UtilizationMeans? {
        guard let utilization, metrics.duration > .zero else { return nil }
        var weighted = UtilizationIntegrals()
        var devices = 0.0
        for (instance, total) in zip(utilization.instances, utilization.totals) {
            let weight = Double(instance.devices)
            devices += weight
            weighted.busySeconds += total.busySeconds * weight
            weighted.mfuSeconds += total.mfuSeconds * weight
            weighted.hbmSeconds += total.hbmSeconds * weight
            weighted.linkSeconds += total.linkSeconds * weight
            weighted.kvUsageSeconds += total.kvUsageSeconds * weight
        }
        guard devices > 0 else { return nil }
        let span = devices * metrics.duration.seconds
        return UtilizationMeans(
            mfu: weighted.mfuSeconds / span, hbmBandwidth: weighted.hbmSeconds / span,
            link: weighted.linkSeconds / span, kvUsage: weighted.kvUsageSeconds / span,
            busy: weighted.busySeconds / span)
    }

    /// Prefix-cache hits over the prompt tokens of completed requests, nil without any.
    public var cacheHitRate: Double? {
        metrics.inputTokens > 0 ? Double(metrics.cachedInputTokens) / Double(metrics.inputTokens) : nil
    }

    /// The hit rate split by where the hits were found: HBM, host DRAM, disk (an instance's own or the shared
    /// context cache); the three sum to ``cacheHitRate``.
    public var cacheHitRateByTier: (hbm: Double, host: Double, disk: Double)? {
        let m = metrics
        guard m.inputTokens > 0 else { return nil }
        let total = Double(m.inputTokens)
        let host = Double(m.hostCachedInputTokens)
        let disk = Double(m.diskCachedInputTokens)
        return ((Double(m.cachedInputTokens) - host - disk) / total, host / total, disk / total)
    }

    /// The cost on `basis`, or nil without a cost account.
    public func costSummary(_ basis: CostBasis) -> CostSummary? {
        cost?.summary(duration: metrics.duration, tokens: TokenCounts(metrics), basis: basis)
    }

    /// Tokens per second per deployed node: prompt tokens (cache hits included, as DeepSeek counts them)
    /// over the nodes that prefill and output tokens over the nodes that decode. In a colocated deployment
    /// every node does both, so both divide by all deployed nodes.
    public var throughputPerNode: (prefillInput: Double, decodeOutput: Double)? {
        let seconds = metrics.duration.seconds
        guard seconds > 0, context.deployedNodes > 0 else { return nil }
        let disaggregated = context.prefillNodes > 0 && context.decodeNodes > 0
        let prefill = Double(disaggregated ? context.prefillNodes : context.deployedNodes)
        let decode = Double(disaggregated ? context.decodeNodes : context.deployedNodes)
        return (Double(metrics.inputTokens) / seconds / prefill, Double(metrics.outputTokens) / seconds / decode)
    }

    /// Nodes provisioned over time, as steps `(from, nodes)`, nil without a cost account.
    public var nodesOverTime: [(time: SimTime, nodes: Double)]? {
        guard let capacity = cost?.capacity else { return nil }
        return capacity.changes.map { ($0.time, capacity.nodes($0)) }
    }
}

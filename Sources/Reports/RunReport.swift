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
        /// Nodes the deployment occupies (its devices over the devices per node, rounded up).
        public var deployedNodes: Int
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
            device = scenario.device.key
            clusterNodes = scenario.cluster.hosts
            let perNode = scenario.host.deviceCount
            deployedNodes = (plan.deployedDevices + perNode - 1) / perNode
            instances = plan.instances.count
            router = scenario.router.rawValue
            priceQuotes = scenario.prices.compare
        }
    }

    /// One instance's activity over the run.
    public struct InstanceActivity: Sendable, Hashable {
        /// Requests it completed.
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

    /// Assembles a report.
    public init(
        context: Context, metrics: ServingMetrics, utilization: UtilizationSeries? = nil, cost: CostAccount? = nil,
        instanceActivity: [InstanceActivity] = [], rejectionsByReason: [String: Int] = [:],
        counters: [String: Int] = [:]
    ) {
        self.context = context
        self.metrics = metrics
        self.utilization = utilization
        self.cost = cost
        self.instanceActivity = instanceActivity
        self.rejectionsByReason = rejectionsByReason
        self.counters = counters
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

    /// The cost on `basis`, or nil without a cost account.
    public func costSummary(_ basis: CostBasis) -> CostSummary? {
        cost?.summary(duration: metrics.duration, tokens: TokenCounts(metrics), basis: basis)
    }

    /// Tokens per second per deployed node: prompt tokens prefilled and output tokens decoded. In a
    /// colocated deployment every node does both, so both divide by all deployed nodes.
    public var throughputPerNode: (prefillInput: Double, decodeOutput: Double)? {
        let seconds = metrics.duration.seconds
        guard seconds > 0, context.deployedNodes > 0 else { return nil }
        let nodes = Double(context.deployedNodes)
        return (Double(metrics.inputTokens) / seconds / nodes, Double(metrics.outputTokens) / seconds / nodes)
    }
}

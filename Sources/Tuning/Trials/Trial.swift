import MoECore
import Reports

/// What one simulated configuration measured: the figures a sweep ranks by and writes to its CSV.
public struct TrialMetrics: Sendable, Hashable {
    /// Requests meeting every objective over requests arrived (rejected and failed ones count as missed).
    public var sloAttainment: Double
    /// Dollars per million output tokens, allocation basis (every provisioned device-hour paid).
    public var usdPerMillionOutputTokens: Double?
    /// Dollars per million prompt tokens computed (cache misses), allocation basis.
    public var usdPerMillionInputTokens: Double?
    /// Dollars of the whole run, allocation basis.
    public var usdTotal: Double
    /// Nodes in the cluster (all of them are paid for).
    public var nodes: Int
    /// Requests arrived.
    public var arrived: Int
    /// Requests completed.
    public var completed: Int
    /// Requests rejected on arrival.
    public var rejected: Int
    /// Requests that failed.
    public var failed: Int
    /// Median time to first token, milliseconds.
    public var medianTTFTMilliseconds: Double?
    /// 99th percentile time to first token, milliseconds.
    public var p99TTFTMilliseconds: Double?
    /// Median time per output token, milliseconds.
    public var medianTPOTMilliseconds: Double?
    /// 99th percentile time per output token, milliseconds.
    public var p99TPOTMilliseconds: Double?
    /// Output tokens per second over the run.
    public var outputThroughput: Double

    /// Creates metrics; see the properties.
    public init(
        sloAttainment: Double, usdPerMillionOutputTokens: Double?, usdPerMillionInputTokens: Double?,
        usdTotal: Double, nodes: Int, arrived: Int, completed: Int, rejected: Int, failed: Int,
        medianTTFTMilliseconds: Double?, p99TTFTMilliseconds: Double?, medianTPOTMilliseconds: Double?,
        p99TPOTMilliseconds: Double?, outputThroughput: Double
    ) {
        self.sloAttainment = sloAttainment
        self.usdPerMillionOutputTokens = usdPerMillionOutputTokens
        self.usdPerMillionInputTokens = usdPerMillionInputTokens
        self.usdTotal = usdTotal
        self.nodes = nodes
        self.arrived = arrived
        self.completed = completed
        self.rejected = rejected
        self.failed = failed
        self.medianTTFTMilliseconds = medianTTFTMilliseconds
        self.p99TTFTMilliseconds = p99TTFTMilliseconds
        self.medianTPOTMilliseconds = medianTPOTMilliseconds
        self.p99TPOTMilliseconds = p99TPOTMilliseconds
        self.outputThroughput = outputThroughput
    }

    /// The figures of a simulation's report.
    public init(_ report: RunReport) {
        let metrics = report.metrics
        let cost = report.costSummary(.allocation)
        let seconds = metrics.duration.seconds
        func milliseconds(_ distribution: LatencyDistribution, _ percent: Double) -> Double? {
            distribution.percentiles([percent])[0]?.milliseconds
        }
        self.init(
            sloAttainment: metrics.arrived > 0 ? Double(metrics.good) / Double(metrics.arrived) : 0,
            usdPerMillionOutputTokens: cost?.perMillionOutputTokens,
            usdPerMillionInputTokens: cost?.perMillionInputTokens,
            usdTotal: cost?.total.amount ?? 0, nodes: report.context.clusterNodes, arrived: metrics.arrived,
            completed: metrics.completed, rejected: metrics.rejected, failed: metrics.failed,
            medianTTFTMilliseconds: milliseconds(metrics.ttft, 50), p99TTFTMilliseconds: milliseconds(metrics.ttft, 99),
            medianTPOTMilliseconds: milliseconds(metrics.tpot, 50), p99TPOTMilliseconds: milliseconds(metrics.tpot, 99),
            outputThroughput: seconds > 0 ? Double(metrics.outputTokens) / seconds : 0)
    }
}

/// How a configuration fared: measured, or not runnable with the reason (weights that do not fit, an
/// expert-parallel degree that does not divide the experts, ...).
public enum TrialOutcome: Sendable, Hashable {
    /// The simulation ran.
    case measured(TrialMetrics)
    /// The configuration cannot be built or simulated, and why.
    case infeasible(reason: String)

    /// The metrics, when measured.
    public var metrics: TrialMetrics? {
        if case .measured(let metrics) = self { return metrics }
        return nil
    }
}

/// One configuration and its outcome.
public struct Trial: Sendable, Hashable {
    /// The overrides that make the configuration from the base scenario.
    public var overrides: [ScenarioOverride]
    /// What it gave.
    public var outcome: TrialOutcome

    /// Creates a trial.
    public init(overrides: [ScenarioOverride], outcome: TrialOutcome) {
        self.overrides = overrides
        self.outcome = outcome
    }

    /// The value of `keyPath` in this configuration, if it sets it.
    public func value(of keyPath: String) -> String? { overrides.last { $0.keyPath == keyPath }?.value }
}

/// What an instance does in a deployment.
public enum InstanceRole: String, Hashable, Sendable, CaseIterable {
    /// Runs prefill and decode for its own requests.
    case colocated
    /// Runs prefill only and hands the KV cache to a decode instance (disaggregated serving).
    case prefill
    /// Runs decode only, on KV caches received from prefill instances.
    case decode
}

/// A group of identical serving instances: how many, how many devices each, and how each instance
/// splits the model over its devices (attention data/tensor parallelism, expert parallelism).
public struct InstanceGroupSpec: Hashable, Sendable {
    /// What the instances do.
    public var role: InstanceRole
    /// Number of instances.
    public var count: Int
    /// Devices per instance; equals `attentionDP * attentionTP`.
    public var devicesPerInstance: Int
    /// Attention data-parallel ranks (each holds its own sequences and KV cache).
    public var attentionDP: Int
    /// Attention tensor-parallel degree within a rank.
    public var attentionTP: Int
    /// Expert-parallel degree: the routed experts are spread over this many devices (1 for dense models).
    public var ep: Int
    /// Extra expert replicas per MoE layer for load balancing (DeepSeek deploys 32).
    public var redundantExperts: Int
    /// Format the weights are stored in.
    public var weights: NumericFormat
    /// Format the KV cache is stored in.
    public var kvCache: NumericFormat
    /// Micro-batches overlapped to hide dispatch/combine (DeepSeek uses 2).
    public var microBatches: Int
    /// Acceptance rate of multi-token-prediction drafts, or nil when MTP is off.
    public var mtpAcceptance: Double?
    /// The line of the scenario file that declares the group, for error messages about it.
    public var sourceLine: Int?
    /// The index of the host pool its instances run on (``Scenario/pools``; 0 for the cluster's own hosts).
    public var pool: Int
    /// A host-DRAM tier of each instance's KV cache, or nil for none.
    public var hostKVCache: ScenarioHostCache?
    /// How the group's instance count changes over time, or nil for `count` instances throughout.
    public var autoscale: ScenarioAutoscaling?

    /// Creates a group; see the properties for each figure.
    public init(
        role: InstanceRole, count: Int, devicesPerInstance: Int, attentionDP: Int, attentionTP: Int, ep: Int,
        redundantExperts: Int, weights: NumericFormat, kvCache: NumericFormat, microBatches: Int,
        mtpAcceptance: Double?, sourceLine: Int? = nil, pool: Int = 0, hostKVCache: ScenarioHostCache? = nil,
        autoscale: ScenarioAutoscaling? = nil
    ) {
        self.role = role
        self.count = count
        self.devicesPerInstance = devicesPerInstance
        self.attentionDP = attentionDP
        self.attentionTP = attentionTP
        self.ep = ep
        self.redundantExperts = redundantExperts
        self.weights = weights
        self.kvCache = kvCache
        self.microBatches = microBatches
        self.mtpAcceptance = mtpAcceptance
        self.sourceLine = sourceLine
        self.pool = pool
        self.hostKVCache = hostKVCache
        self.autoscale = autoscale
    }

    /// Devices the whole group uses.
    public var totalDevices: Int { count * devicesPerInstance }
}

import Foundation

/// Where the expert-load profile comes from.
public enum ExpertLoadSource: Hashable, Sendable {
    /// Every expert receives the same share of tokens.
    case balanced
    /// A measured per-layer expert-load file (resolved path).
    case file(path: String)
}

/// A scenario file resolved against the catalog: the model, the cluster and how instances split
/// it, the scheduler knobs, the workload, the latency objectives and the prices.
///
/// Load one with ``Scenario/load(file:)``; the file format is described in `Docs/Scenarios.md`.
public struct Scenario: Sendable {
    /// The scenario's name.
    public var name: String
    /// Seed for every random choice of a run.
    public var seed: UInt64
    /// The file the scenario was read from.
    public var file: String
    /// The built-in catalog with the scenario's catalog files merged in.
    public var catalog: Catalog
    /// The model served.
    public var model: ModelSpec
    /// The cluster's own hosts (pool 0): host kind, node count and fabric.
    public var cluster: ClusterSpec
    /// The host every node of pool 0 is.
    public var host: HostSpec
    /// The accelerator pool 0's hosts carry, with the scenario's price override applied.
    public var device: DeviceSpec
    /// Every host pool: pool 0 (the three above), then `cluster.pools` in file order.
    public var pools: [ScenarioPool]
    /// The instance groups, in file order.
    public var deployment: [InstanceGroupSpec]
    /// Scheduler knobs.
    public var scheduler: ScenarioScheduler
    /// The workload.
    public var workload: ScenarioWorkload
    /// Latency objectives.
    public var slo: ScenarioSLO
    /// How arrivals are spread over the colocated instances, or over the prefill instances of a
    /// disaggregated deployment.
    public var router: RouterKind
    /// How prefilled requests are spread over the decode instances of a disaggregated deployment.
    public var decodeRouter: RouterKind
    /// The context cache on disk the cluster shares, or nil for none.
    public var contextCache: ScenarioContextCache?
    /// Periodic expert re-balancing, or nil for none.
    public var rebalancing: ScenarioRebalancing?
    /// What fails during the run (empty by default).
    public var faults: ScenarioFaults
    /// Price overrides and price lists to compare with.
    public var prices: ScenarioPrices
    /// The expert-load profile.
    public var expertLoad: ExpertLoadSource

    /// Devices in the cluster, every pool included.
    public var clusterDevices: Int { pools.reduce(0) { $0 + $1.devices } }
    /// Nodes in the cluster, every pool included.
    public var clusterNodes: Int { pools.reduce(0) { $0 + $1.cluster.hosts } }
    /// Whether prefill and decode run on separate instances.
    public var isDisaggregated: Bool { deployment.contains { $0.role != .colocated } }
    /// Devices the deployment uses.
    public var deployedDevices: Int { deployment.reduce(0) { $0 + $1.totalDevices } }

    /// Reads, decodes and checks the scenario file at `path` (YAML or JSON).
    /// - Throws: ``InputFileError`` naming the file, the key path and what was expected.
    public static func load(file path: String) throws -> Scenario {
        try Scenario(document: DocumentNode.load(file: path))
    }
}

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
    /// The cluster: host kind, node count and fabric.
    public var cluster: ClusterSpec
    /// The host every node is.
    public var host: HostSpec
    /// The accelerator every host carries, with the scenario's price override applied.
    public var device: DeviceSpec
    /// The instance groups, in file order.
    public var deployment: [InstanceGroupSpec]
    /// Scheduler knobs.
    public var scheduler: ScenarioScheduler
    /// The workload.
    public var workload: ScenarioWorkload
    /// Latency objectives.
    public var slo: ScenarioSLO
    /// How arrivals are spread over the instances.
    public var router: RouterKind
    /// Price overrides and price lists to compare with.
    public var prices: ScenarioPrices
    /// The expert-load profile.
    public var expertLoad: ExpertLoadSource

    /// Devices in the cluster.
    public var clusterDevices: Int { cluster.hosts * host.deviceCount }
    /// Devices the deployment uses.
    public var deployedDevices: Int { deployment.reduce(0) { $0 + $1.totalDevices } }

    /// Reads, decodes and checks the scenario file at `path` (YAML or JSON).
    /// - Throws: ``InputFileError`` naming the file, the key path and what was expected.
    public static func load(file path: String) throws -> Scenario {
        try Scenario(document: DocumentNode.load(file: path))
    }
}

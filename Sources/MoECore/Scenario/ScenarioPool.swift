/// One kind of host in a scenario's cluster. Pool 0 is the `cluster` section's own hosts (named
/// ``mainName``); further pools (`cluster.pools`) let prefill and decode run on different hardware, such
/// as Ascend prefill instances feeding H800 decode instances, all on one scale-out fabric.
public struct ScenarioPool: Hashable, Sendable {
    /// The name instance groups refer to it by (`deployment.instances[i].pool`).
    public var name: String
    /// Its hosts: kind, count and fabric.
    public var cluster: ClusterSpec
    /// The host every node of the pool is.
    public var host: HostSpec
    /// The accelerator the hosts carry, with the scenario's price override applied.
    public var device: DeviceSpec

    /// The name of pool 0, the `cluster` section's own hosts.
    public static let mainName = "main"

    /// Creates a pool.
    public init(name: String, cluster: ClusterSpec, host: HostSpec, device: DeviceSpec) {
        self.name = name
        self.cluster = cluster
        self.host = host
        self.device = device
    }

    /// Devices in the pool.
    public var devices: Int { cluster.hosts * host.deviceCount }
}

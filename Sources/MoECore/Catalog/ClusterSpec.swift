/// A cluster: identical hosts joined by a scale-out fabric.
public struct ClusterSpec: Hashable, Sendable {
    /// Catalog key, or a generated name for a cluster described inline.
    public var key: String
    /// Catalog key of the host every node is.
    public var hostKey: String
    /// Number of hosts (nodes).
    public var hosts: Int
    /// The scale-out fabric between hosts.
    public var fabric: FabricSpec

    public init(key: String, hostKey: String, hosts: Int, fabric: FabricSpec) {
        self.key = key
        self.hostKey = hostKey
        self.hosts = hosts
        self.fabric = fabric
    }
}

/// The scale-out network between hosts.
public struct FabricSpec: Hashable, Sendable {
    /// The fabric family.
    public var kind: FabricKind
    /// One-way latency through the fabric (switch hops included).
    public var latency: SimDuration

    public init(kind: FabricKind, latency: SimDuration) {
        self.kind = kind
        self.latency = latency
    }
}

/// Scale-out fabric families.
public enum FabricKind: String, Hashable, Sendable, CaseIterable {
    /// InfiniBand (DeepSeek's H800 clusters: CX7 400G, multi-plane fat tree).
    case infiniband
    /// RDMA over Converged Ethernet (Ascend Atlas clusters).
    case roce
    /// Huawei Unified Bus (CloudMatrix384 supernode).
    case ub
}
